using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// Data that yields whole <see cref="Batch"/>es (a Sequential.Data <c>Dataset</c>, say): batches whose inputs or
/// targets are lists or name-keyed dictionaries for models with several inputs or outputs, or batches without targets.
/// </summary>
/// <remarks>
/// <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> take such data through their iterator overloads: when the
/// <c>IEnumerable&lt;(Tensor x, Tensor y)&gt;</c> they are given is also an <see cref="IBatchSource"/>, the loop reads
/// <see cref="GetBatches"/> instead of the pairs. One enumeration is one pass over the data.
/// </remarks>
public interface IBatchSource : IEnumerable<(Tensor x, Tensor y)>
{
    /// <summary>The batches of one pass over the data. Each enumeration starts a new pass.</summary>
    /// <returns>The batches.</returns>
    IEnumerable<Batch> GetBatches();

    /// <summary>The number of batches in one pass, when known (the progress bar's target); else null.</summary>
    int? BatchesPerPass { get; }

    /// <summary>
    /// Whether one pass never ends (a dataset repeated without a count). Fit, Evaluate and Predict then need a step
    /// count (<c>stepsPerEpoch</c>, <c>validationSteps</c>, <c>steps</c>) and refuse to start without one, as Keras does,
    /// instead of running forever. Default: false.
    /// </summary>
    bool IsInfinite => false;

    /// <summary>
    /// Whether every pass yields the same values, perhaps in another order or grouping (slices of fixed tensors,
    /// shuffled and batched; no function that makes new values). The loop then checks the batches of the first complete
    /// pass only (finite values, labels the loss accepts), as the tensor overloads check their data once. Default: false.
    /// </summary>
    bool FixedValues => false;
}
