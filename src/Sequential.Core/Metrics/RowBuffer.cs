using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// A device buffer that collects batches of predictions and labels (and, once needed, weights) row by row until they are
/// binned together: the staging area of a <see cref="ConfusionHistogram"/>, and of a <see cref="ConfusionStage"/> that
/// feeds several histograms from one copy.
/// </summary>
internal sealed class RowBuffer
{
    /// <summary>About this many prediction elements are buffered before they are binned.</summary>
    private const long BufferElements = 1 << 16;

    private Tensor? _pred, _truth, _weight; // [capacity, ...row shape], float32
    private long[] _rowShape = [];
    private long _capacity;
    private (Tensor? Pred, Tensor? Truth)[]? _slots;   // cached views of the buffers, one per batch-sized slot
    private long _slotRows;
    private long _filled;

    /// <summary>Whether rows are waiting to be binned.</summary>
    public bool Pending => _filled > 0;

    /// <summary>Whether the buffer exists, for rows of this shape.</summary>
    public bool Holds(ReadOnlySpan<long> rowShape) => _pred is not null && rowShape.SequenceEqual(_rowShape);

    /// <summary>Whether a batch of <paramref name="rows"/> rows fits in the space left.</summary>
    public bool HasRoomFor(long rows) => _filled + rows <= _capacity;

    /// <summary>The rows the buffer takes.</summary>
    public long Capacity => _capacity;

    /// <summary>
    /// The fast path of an update: whether a batch of predictions <paramref name="shape"/> with targets of the same shape,
    /// unweighted, goes into this buffer as it is (same row shape, room left, no weights column).
    /// </summary>
    public bool TakesAsIs(long[] shape, Tensor yTrue) =>
        _weight is null && _pred is not null && shape.Length == _rowShape.Length + 1 && _filled + shape[0] <= _capacity
        && shape.AsSpan(1).SequenceEqual(_rowShape) && yTrue.shape.AsSpan().SequenceEqual(shape);

    /// <summary>
    /// Copies a batch of <paramref name="rows"/> rows that <see cref="TakesAsIs"/> accepted: one detach and two copies (which also convert the dtypes),
    /// into views made once per batch-sized slot. No dispose scope: the temporaries are disposed here.
    /// </summary>
    public void CopyAsIs(Tensor yTrue, Tensor yPred, long rows)
    {
        using var detached = yPred.detach();
        var (predRows, truthRows, cached) = Slot(rows);
        predRows.copy_(detached);
        truthRows.copy_(yTrue);
        if (!cached)
        {
            predRows.Dispose();
            truthRows.Dispose();
        }
        _filled += rows;
    }

    /// <summary>Copies a checked batch (rank-matched; weights already broadcastable, or null), keeping a weights column
    /// once any batch had weights.</summary>
    public void Copy(Tensor yTrue, Tensor yPred, Tensor? weight)
    {
        long rows = yPred.shape[0];
        _pred!.narrow(0, _filled, rows).copy_(yPred);
        _truth!.narrow(0, _filled, rows).copy_(yTrue);
        if (weight is not null)
        {
            _weight ??= ones_like(_pred).DetachFromDisposeScope();
            _weight.narrow(0, _filled, rows).copy_(weight);
        }
        else
        {
            _weight?.narrow(0, _filled, rows).fill_(1);
        }
        _filled += rows;
    }

    /// <summary>Views of the buffered rows (weights null when none came), and the buffer emptied; the views are valid
    /// until the next copy.</summary>
    public (Tensor Pred, Tensor Truth, Tensor? Weight) Take()
    {
        var taken = (_pred!.narrow(0, 0, _filled), _truth!.narrow(0, 0, _filled), _weight?.narrow(0, 0, _filled));
        _filled = 0;
        return taken;
    }

    /// <summary>Forgets the buffered rows.</summary>
    public void Clear() => _filled = 0;

    /// <summary>Makes the buffer for rows of <paramref name="rowShape"/>, at least <paramref name="rows"/> of them, about
    /// <see cref="BufferElements"/> elements; anything buffered before is dropped (take it first).</summary>
    public void Allocate(long[] rowShape, long rows, Device device)
    {
        DisposeSlots();
        _pred?.Dispose();
        _truth?.Dispose();
        _weight?.Dispose();
        _weight = null;
        long perRow = Math.Max(1, rowShape.Aggregate(1L, (a, b) => a * b));
        _capacity = Math.Max(rows, BufferElements / perRow);
        _rowShape = rowShape;
        _pred = empty([_capacity, .. rowShape], ScalarType.Float32, device).DetachFromDisposeScope();
        _truth = empty([_capacity, .. rowShape], ScalarType.Float32, device).DetachFromDisposeScope();
        _filled = 0;
    }

    /// <summary>
    /// Views of the buffers' next <paramref name="rows"/> rows. While batches keep one size (every step but an epoch's
    /// last), the views are made once per slot and kept, so that a step creates none.
    /// </summary>
    private (Tensor Pred, Tensor Truth, bool Cached) Slot(long rows)
    {
        if (_slots is null || _slotRows != rows)
        {
            DisposeSlots();
            _slotRows = rows;
            _slots = new (Tensor?, Tensor?)[_capacity / rows];
        }
        if (_filled % rows != 0) return (_pred!.narrow(0, _filled, rows), _truth!.narrow(0, _filled, rows), false);
        ref var slot = ref _slots[_filled / rows];
        if (slot.Pred is null)
            slot = (_pred!.narrow(0, _filled, rows).DetachFromDisposeScope(), _truth!.narrow(0, _filled, rows).DetachFromDisposeScope());
        return (slot.Pred, slot.Truth!, true);
    }

    private void DisposeSlots()
    {
        if (_slots is null) return;
        foreach (var (pred, truth) in _slots)
        {
            pred?.Dispose();
            truth?.Dispose();
        }
        _slots = null;
    }
}
