using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.DTypePolicies;

/// Keras's keras/src/dtype_policies/dtype_policy_test.py, and the global policy as layers take it.
public class DTypePolicyTests
{
    private sealed class Plain : Layer
    {
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;
        public override Tensor Call(Tensor x, bool training) => x;
    }

    [TestCase("mixed_float16", ScalarType.Float16, ScalarType.Float32, true)]
    [TestCase("mixed_bfloat16", ScalarType.BFloat16, ScalarType.Float32, true)]
    [TestCase("float32", ScalarType.Float32, ScalarType.Float32, false)]
    [TestCase("bfloat16", ScalarType.BFloat16, ScalarType.BFloat16, false)]
    [TestCase("float16", ScalarType.Float16, ScalarType.Float16, false)]
    [TestCase("float64", ScalarType.Float64, ScalarType.Float64, false)]
    public void Properties_FromKeras(string name, ScalarType compute, ScalarType variable, bool mixed)
    {
        DTypePolicy policy = name;
        Assert.That(policy.Name, Is.EqualTo(name));
        Assert.That(policy.ComputeDtype, Is.EqualTo(compute));
        Assert.That(policy.VariableDtype, Is.EqualTo(variable));
        Assert.That(policy.IsMixed, Is.EqualTo(mixed));
    }

    [Test]
    public void AnInvalidName_FromKeras_SaysWhichAreValid()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new DTypePolicy("mixed_int8"))!;
        Assert.That(ex.Message, Does.StartWith("Cannot convert 'mixed_int8' to a mixed precision DTypePolicy. Valid policies include 'mixed_float16', 'mixed_bfloat16'"));
    }

    [Test]
    public void Repr_FromKeras() => Assert.That(new DTypePolicy("mixed_float16").ToString(), Is.EqualTo("<DTypePolicy \"mixed_float16\">"));

    [Test]
    public void PoliciesWithTheSameName_AreEqual()
    {
        Assert.That(new DTypePolicy("mixed_bfloat16"), Is.EqualTo(new DTypePolicy("mixed_bfloat16")));
        Assert.That(new DTypePolicy("mixed_bfloat16"), Is.Not.EqualTo(new DTypePolicy("bfloat16")));
    }

    [Test]
    public void ALayer_TakesTheGlobalPolicyWhenCreated()
    {
        var before = new Plain();
        try
        {
            MixedPrecision.SetGlobalPolicy("mixed_bfloat16");
            var after = new Plain();
            Assert.That(after.DtypePolicy.Name, Is.EqualTo("mixed_bfloat16"));
            Assert.That(after.ComputeDtype, Is.EqualTo(ScalarType.BFloat16));
            Assert.That(after.VariableDtype, Is.EqualTo(ScalarType.Float32));
            Assert.That(before.DtypePolicy.Name, Is.EqualTo("float32"));
        }
        finally
        {
            MixedPrecision.SetGlobalPolicy("float32");
        }
        Assert.That(new Plain().DtypePolicy, Is.EqualTo(DTypePolicy.Float32));
    }

    [Test]
    public void AMixedLayer_CastsFloatInputsToItsComputeDtype_AndLeavesIntegersAlone()
    {
        var layer = new Plain { DtypePolicy = "mixed_bfloat16" };
        Assert.That(layer.Apply(ones(2, 3)).dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(layer.Apply(ones(2, 3, dtype: ScalarType.Int64)).dtype, Is.EqualTo(ScalarType.Int64));
        var float32 = new Plain();
        Assert.That(float32.Apply(ones(2, 3, dtype: ScalarType.BFloat16)).dtype, Is.EqualTo(ScalarType.Float32), "a float32 layer after a mixed one");
        Assert.That(float32.Apply(ones(2, 3, dtype: ScalarType.Float64)).dtype, Is.EqualTo(ScalarType.Float64), "float64 is left as it was");
    }
}
