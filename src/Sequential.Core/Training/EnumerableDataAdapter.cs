using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// Batches from any <c>IEnumerable&lt;(Tensor x, Tensor y)&gt;</c> (Sequential.Data iterators, user generators):
/// one enumeration is one pass; with a step count, an epoch continues into the next pass (Keras 3 semantics).
/// </summary>
internal sealed class EnumerableDataAdapter(IEnumerable<(Tensor x, Tensor y)> source, string name, int? defaultSteps = null) : DataAdapter, IDisposable
{
    private IEnumerator<(Tensor x, Tensor y)>? _open;

    /// <summary>Ends a pass left open by a step count (an iterator's prefetch threads stop with it).</summary>
    public void Dispose()
    {
        _open?.Dispose();
        _open = null;
    }

    public override string Name => name;

    public override bool ChecksBatches => true;

    public override int? BatchesPerPass => defaultSteps ?? source switch
    {
        IReadOnlyCollection<(Tensor, Tensor)> c => c.Count,
        System.Collections.ICollection c => c.Count,
        _ => null,
    };

    public override IEnumerable<Batch> Batches(int? steps)
    {
        steps ??= defaultSteps;
        Trainer.CheckSteps(steps, nameof(steps));
        if (steps is null)
        {
            // One full pass per epoch.
            _open?.Dispose();
            _open = null;
            int produced = 0;
            foreach (var (x, y) in source)
            {
                produced++;
                yield return new Batch(x, y);
            }
            if (produced == 0)
                throw new ArgumentException($"{name} produced no batches. Check that the directory or tensors hold samples.");
            yield break;
        }
        for (int step = 0; step < steps; step++)
        {
            _open ??= source.GetEnumerator();
            if (!_open.MoveNext())
            {
                _open.Dispose();
                _open = source.GetEnumerator(); // a new pass
                if (!_open.MoveNext())
                    throw new ArgumentException($"{name} produced no batches. Check that the directory or tensors hold samples.");
            }
            yield return new Batch(_open.Current.x, _open.Current.y);
        }
    }
}
