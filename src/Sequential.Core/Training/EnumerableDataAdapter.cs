using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// Batches from any <c>IEnumerable&lt;(Tensor x, Tensor y)&gt;</c> (Sequential.Data iterators, user generators), or
/// from an <see cref="IBatchSource"/> (whole batches, possibly with several inputs or outputs, or without targets):
/// one enumeration is one pass; with a step count, an epoch continues into the next pass (Keras 3 semantics).
/// </summary>
internal sealed class EnumerableDataAdapter : DataAdapter, IDisposable
{
    private readonly IEnumerable<(Tensor x, Tensor y)> _given;
    private IEnumerable<Batch> _source;
    private (int Shard, int Shards)? _part;
    private readonly string _name;
    private readonly int? _defaultSteps;
    private readonly int? _count;
    private readonly bool _infinite;
    private readonly bool _fixedValues;
    private bool _passChecked;
    private IEnumerator<Batch>? _open;

    public EnumerableDataAdapter(IEnumerable<(Tensor x, Tensor y)> source, string name, int? defaultSteps = null)
    {
        ArgumentNullException.ThrowIfNull(source, name);
        _name = name;
        _given = source;
        _defaultSteps = defaultSteps;
        if (source is IBatchSource batches)
        {
            _source = new Pass(batches.GetBatches);
            _count = batches.BatchesPerPass;
            _infinite = batches.IsInfinite;
            _fixedValues = batches.FixedValues;
        }
        else
        {
            _source = source.Select(pair => new Batch(pair.x, pair.y));
            _count = source switch
            {
                IReadOnlyCollection<(Tensor, Tensor)> c => c.Count,
                System.Collections.ICollection c => c.Count,
                _ => null,
            };
        }
    }

    /// <summary>Each enumeration asks the source for a new pass.</summary>
    private sealed class Pass(Func<IEnumerable<Batch>> pass) : IEnumerable<Batch>
    {
        public IEnumerator<Batch> GetEnumerator() => pass().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Ends a pass left open by a step count (an iterator's prefetch threads stop with it).</summary>
    public void Dispose()
    {
        _open?.Dispose();
        _open = null;
    }

    /// <summary>Reads only this rank's rows of each batch when the source is an <see cref="IShardedSource"/> that can.</summary>
    public override bool ReadShard(int shard, int shards)
    {
        if (_part == (shard, shards)) return true;
        if (_given is not IShardedSource sharded || sharded.GetBatches(shard, shards) is not { } parts) return false;
        Dispose();   // no pass may continue with whole batches
        _source = parts;
        _part = (shard, shards);
        return true;
    }

    public override string Name => _name;

    /// <summary>True until one complete pass of data whose values are fixed has been checked; always for other data.</summary>
    public override bool ChecksBatches => !_passChecked;

    public override int? BatchesPerPass => _defaultSteps ?? _count;

    public override IEnumerable<Batch> Batches(int? steps)
    {
        steps ??= _defaultSteps;
        Trainer.CheckSteps(steps, nameof(steps));
        if (steps is null && _infinite)
            throw new ArgumentException(
                $"{_name} repeats forever (a Repeat() without a count), so one pass never ends. Give a number of batches: " +
                "stepsPerEpoch for Fit's data, validationSteps for its validationData, steps for Evaluate and Predict.", _name);
        if (steps is null)
        {
            // One full pass per epoch.
            _open?.Dispose();
            _open = null;
            int produced = 0;
            foreach (var batch in _source)
            {
                produced++;
                yield return batch ?? throw new ArgumentException($"{_name} produced a null batch (batch {produced - 1}).", _name);
            }
            if (produced == 0) throw NoBatches();
            _passChecked |= _fixedValues;
            yield break;
        }
        for (int step = 0; step < steps; step++)
        {
            _open ??= _source.GetEnumerator();
            if (!_open.MoveNext())
            {
                _open.Dispose();
                _passChecked |= _fixedValues;    // the pass just ended was checked whole
                _open = _source.GetEnumerator(); // a new pass
                if (!_open.MoveNext()) throw NoBatches();
            }
            yield return _open.Current ?? throw new ArgumentException($"{_name} produced a null batch.", _name);
        }
    }

    private ArgumentException NoBatches() =>
        new($"{_name} produced no batches. Check that the directory or tensors hold samples.", _name);
}
