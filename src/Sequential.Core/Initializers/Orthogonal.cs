using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// An orthogonal matrix times <see cref="Gain"/> (Keras's <c>keras.initializers.Orthogonal</c>, strings
/// <c>"orthogonal"</c> and <c>"OrthogonalInitializer"</c>; Keras's default for recurrent kernels). The weight is
/// viewed as a matrix of (all but the last size) rows and (the last size) columns; it gets orthonormal columns when
/// rows &gt;= columns and orthonormal rows otherwise, from the QR decomposition of a normal matrix with Q's columns
/// signed by R's diagonal, as Keras computes it.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new Orthogonal(gain: 2.0, seed: 1));
/// </code>
/// </example>
/// <param name="gain">The factor applied to the orthogonal matrix.</param>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class Orthogonal(double gain = 1.0, int? seed = null) : RandomInitializer("orthogonal", seed)
{
    /// <summary>The factor applied to the orthogonal matrix.</summary>
    public double Gain { get; } = gain;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The weight has fewer than 2 dimensions.</exception>
    protected override void Fill(Tensor tensor, long fanIn, long fanOut, Generator? generator)
    {
        if (tensor.dim() < 2)
            throw new ArgumentException(
                $"The orthogonal initializer needs a weight of at least 2 dimensions; got shape {Layers.Shapes.Format(tensor.shape)}.");
        using var scope = NewDisposeScope();
        long columns = tensor.shape[^1];
        long rows = tensor.numel() / Math.Max(1, columns);
        var a = empty(rows > columns ? [rows, columns] : [columns, rows], ScalarType.Float64).normal_(0, 1, generator);
        var (q, r) = linalg.qr(a);
        q = q * r.diagonal().sign();   // a unique decomposition: R's diagonal made positive
        if (rows < columns) q = q.t();
        tensor.copy_((q * Gain).reshape(tensor.shape).to_type(tensor.dtype));
    }
}
