using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Batches of augmented images from tensors (Keras's <c>NumpyArrayIterator</c>), made by
/// <see cref="ImageDataGenerator.Flow"/>. One enumeration is one pass.
/// </summary>
/// <remarks>
/// The images are copied once to float32 on the host; each batch's <c>x</c> is float32 <c>[N, H, W, C]</c>,
/// <c>y</c> the matching rows of the targets as given (an empty float32 <c>[0]</c> tensor without targets).
/// </remarks>
public sealed class ArrayIterator : ImageIterator
{
    private readonly ImageDataGenerator _generator;
    private readonly float[] _x;
    private readonly Tensor? _y;

    internal ArrayIterator(Tensor x, Tensor? y, ImageDataGenerator generator, int batchSize, bool shuffle, int? seed)
        : base(Rows(x), batchSize, shuffle, seed, [(int)x.shape[1], (int)x.shape[2], (int)x.shape[3]])
    {
        if (y is not null && (y.dim() == 0 || y.shape[0] != x.shape[0]))
            throw new ArgumentException(
                $"x and y must have the same number of samples; got x {Shapes.Format(x.shape)} and y {Shapes.Format(y.shape)}.", nameof(y));
        _generator = generator;
        using (torch.NewDisposeScope())
            _x = x.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        if (y is not null)
        {
            _y = y.cpu().detach().clone();
            torch.CurrentDisposeScope?.Detach(_y); // lives as long as the iterator, not the caller's scope
        }
    }

    /// <summary>Whether targets were given.</summary>
    public bool HasTargets => _y is not null;

    private protected override bool LoadSample(int index, Random random, Span<float> dest)
    {
        _x.AsSpan(index * dest.Length, dest.Length).CopyTo(dest);
        _generator.Process(dest, ImageShape[0], ImageShape[1], ImageShape[2], random, augment: true);
        return true;
    }

    private protected override Tensor MakeTargets(int[] indices, Tensor x)
    {
        if (_y is null)
            return torch.empty([0], ScalarType.Float32);
        using var idx = torch.tensor(indices.Select(i => (long)i).ToArray());
        return _y.index_select(0, idx);
    }

    private static int Rows(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4)
            throw new ArgumentException($"Flow expects images of rank 4, [N, H, W, C]; got shape {Shapes.Format(x.shape)}.", nameof(x));
        return (int)x.shape[0];
    }
}
