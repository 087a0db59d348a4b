#!/usr/bin/env bash
# Packs Sequential.Core, Sequential.Layers and Sequential.Data into a local folder feed, then builds and runs,
# outside the repository, a console app that references them from that feed only and trains the README's MNIST
# tutorial on the digits that ship inside Sequential.Data (offline; native loading on Debian 12 included, into a
# fresh native cache). Prints "package test: passed" or says what failed, and exits non-zero on failure.
# Usage: tools/package-test.sh        (.ci/run calls it)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
# A version no other run uses, so the consumer never picks up a copy an earlier run left in the NuGet cache;
# that copy is removed again at the end.
version="0.0.0-packagetest.$(date +%s).$$"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() {
  rm -rf "$work"
  for id in sequential.core sequential.layers sequential.data; do rm -rf "$packages/$id/$version"; done
}
trap cleanup EXIT

fail() { echo "package test: FAILED: $*" >&2; exit 1; }

echo "Packing Sequential $version into $work/feed"
dotnet pack "$repo/Sequential.sln" -c Release -p:Version="$version" -o "$work/feed" --nologo -v:q >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log" >&2; fail "dotnet pack"; }
mapfile -t made < <(cd "$work/feed" && ls *.nupkg | sort)
expected=("Sequential.Core.$version.nupkg" "Sequential.Data.$version.nupkg" "Sequential.Layers.$version.nupkg")
[ "${made[*]}" = "${expected[*]}" ] || fail "expected exactly ${expected[*]}, got: ${made[*]}"
for id in Sequential.Core Sequential.Layers Sequential.Data; do
  [ -f "$work/feed/$id.$version.snupkg" ] || fail "no symbols package for $id"
  nuspec=$(unzip -p "$work/feed/$id.$version.nupkg" "$id.nuspec")
  for want in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git"' '<description>' '<tags>'; do
    grep -qF "$want" <<<"$nuspec" || fail "$id.nuspec lacks $want"
  done
  # grep reads the whole listing: with -q it would exit at the first match and, under pipefail, unzip's SIGPIPE
  # would fail the pipeline when the listing is long.
  unzip -l "$work/feed/$id.$version.nupkg" | grep ' README.md$' >/dev/null || fail "$id package lacks README.md"
done

mkdir -p "$work/app"
cat >"$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Sequential.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
cat >"$work/app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Sequential.Core" Version="$version" />
    <PackageReference Include="Sequential.Layers" Version="$version" />
    <PackageReference Include="Sequential.Data" Version="$version" />
  </ItemGroup>
</Project>
XML
# The README's example, as a user would paste it.
cat >"$work/app/Program.cs" <<'CS'
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;

RandomSeed.Set(42);
var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData();
var model = new SequentialModel(
    new Flatten(inputShape: [28, 28]),
    new Dense(128, activation: "relu"),
    new Dropout(0.2),
    new Dense(10));
model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
Console.WriteLine(model.Summary());
History history = model.Fit(xTrain / 255f, yTrain, epochs: 5, validationSplit: 0.1, verbose: 2);
double accuracy = model.Evaluate(xTest / 255f, yTest, verbose: 0)["accuracy"];
Console.WriteLine($"test accuracy {accuracy:F4}");
history.Plot("accuracy.png", "accuracy");
Console.WriteLine($"native: {Backend.NativeStatus}");
return accuracy > 0.85 && File.Exists("accuracy.png") ? 0 : 1;
CS

cd "$work/app"
# Outside the repository: none of its Directory.Build.props, global.json or project references apply.
cp "$repo/global.json" . 2>/dev/null || true
export SEQUENTIAL_NATIVE_CACHE="$work/native-cache"
dotnet run -c Release --nologo 2>&1 | tee "$work/run.log" || fail "the consumer app did not run (log above)"
grep -q "test accuracy" "$work/run.log" || fail "no test accuracy printed"
head -c 8 accuracy.png | od -An -tx1 | grep "89 50 4e 47 0d 0a 1a 0a" >/dev/null || fail "accuracy.png is not a PNG"
echo "package test: passed"
