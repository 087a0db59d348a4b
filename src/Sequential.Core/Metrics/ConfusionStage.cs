using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// One copy of a compiled output's predictions and labels per step for all its unweighted confusion metrics (AUC,
/// Precision, Recall, ...): each would otherwise copy the batch into its own buffer. The metrics bin the shared rows
/// when the buffer is full and before any of them is read or cleared (each its own way: sigmoid, top k, class id; once
/// for metrics that bin alike, such as Precision and Recall).
/// </summary>
/// <remarks>
/// A batch goes through the stage only when every member's own <see cref="ConfusionHistogram.Update"/> has accepted a
/// batch of the same shape (which the caller does for a batch the stage refuses): the checks depend only on the shape.
/// </remarks>
internal sealed class ConfusionStage
{
    private readonly ConfusionHistogram[] _members;
    private readonly RowBuffer _buffer = new();

    /// <summary>A stage for these histograms; they read and clear through it from now on.</summary>
    public ConfusionStage(IReadOnlyList<ConfusionHistogram> members)
    {
        _members = [.. members];
        foreach (var member in _members) member.Join(this);
    }

    /// <summary>
    /// Copies an unweighted batch once for every member, when its shape is one the members accepted before
    /// (<see cref="Adopt"/>) and targets and predictions have the same shape; false (nothing done) otherwise.
    /// </summary>
    public bool TryUpdate(Tensor yTrue, Tensor yPred)
    {
        long[] shape = yPred.shape;
        if (shape.Length == 0 || !_buffer.Holds(shape.AsSpan(1)) || shape[0] > _buffer.Capacity || !yTrue.shape.AsSpan().SequenceEqual(shape))
            return false;
        if (!_buffer.HasRoomFor(shape[0])) Flush();
        _buffer.CopyAsIs(yTrue, yPred, shape[0]);
        return true;
    }

    /// <summary>Takes batches of this shape from now on, after every member's own update accepted one (an unweighted
    /// batch whose targets have the same shape).</summary>
    public void Adopt(long[] shape, Device device)
    {
        if (!_members.All(m => m.CanShare(shape)) || _buffer.Holds(shape.AsSpan(1))) return;
        Flush();
        _buffer.Allocate(shape[1..], shape[0], device);
    }

    /// <summary>Bins the shared rows into every member.</summary>
    public void Flush()
    {
        if (!_buffer.Pending) return;
        using var scope = NewDisposeScope();
        var (pred, truth, _) = _buffer.Take();
        var binned = new List<(ConfusionHistogram Histogram, Tensor Increments)>();
        foreach (var member in _members)
        {
            // Members that bin alike (Precision and Recall with the same thresholds) bin the rows once.
            var increments = binned.FirstOrDefault(b => b.Histogram.BinsAlike(member)).Increments ?? member.Increments(pred, truth, null);
            member.Add(increments);
            binned.Add((member, increments));
        }
    }
}
