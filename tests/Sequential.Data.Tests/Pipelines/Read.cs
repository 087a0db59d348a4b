using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

/// <summary>Reads a dataset's elements back as plain numbers, for assertions.</summary>
internal static class Read
{
    /// <summary>x of every element as a flat list of longs (one list per element), in order.</summary>
    public static List<long[]> X(Dataset ds)
    {
        using var scope = torch.NewDisposeScope();
        return [.. ds.Elements().Select(e => Longs(e.X.Tensor))];
    }

    /// <summary>y of every element as a flat list of longs (one list per element), in order.</summary>
    public static List<long[]> Y(Dataset ds)
    {
        using var scope = torch.NewDisposeScope();
        return [.. ds.Elements().Select(e => Longs(e.Y!.Tensor))];
    }

    /// <summary>The single value of x of each element (elements of scalars).</summary>
    public static long[] Scalars(Dataset ds) => [.. X(ds).Select(v => v.Single())];

    public static long[] Longs(Tensor t)
    {
        using var flat = t.to_type(ScalarType.Int64).flatten();
        return flat.data<long>().ToArray();
    }

    /// <summary>0, 1, ..., n - 1 as int64 [n].</summary>
    public static Tensor Range(long n) => torch.arange(n, ScalarType.Int64);
}
