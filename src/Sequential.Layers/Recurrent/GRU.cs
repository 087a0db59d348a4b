using Sequential.Activations;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Gated recurrent unit (Keras's <c>GRU</c>, Cho et al. 2014). Per step, with gates in Keras's order z, r, h:
/// <c>z = σ(x·W_z + b_z + h·U_z + b'_z)</c>, <c>r = σ(x·W_r + b_r + h·U_r + b'_r)</c>,
/// <c>ĥ = tanh(x·W_h + b_h + r·(h·U_h + b'_h))</c> (resetAfter, the default; else <c>tanh(x·W_h + b_h + (r·h)·U_h)</c>),
/// <c>h_t = z·h + (1 - z)·ĥ</c>.
/// </summary>
/// <remarks>
/// Weights in Keras's layout and names: <c>kernel</c> <c>[features, 3·units]</c>, <c>recurrent_kernel</c>
/// <c>[units, 3·units]</c>, <c>bias</c> <c>[2, 3·units]</c> with resetAfter (input and recurrent biases), else
/// <c>[3·units]</c>. With resetAfter and the default activations (and no recurrent dropout in training) it runs
/// libtorch's fused GRU, whose equations are these with the gates in the order r, z, n; resetAfter false has no fused
/// kernel and runs a step loop.
/// </remarks>
/// <example>
/// <code>
/// new GRU(64)                              // (None, 200, 128) -> (None, 64), 3·(128·64 + 64·64 + 2·64) = 37,248 parameters
/// new GRU(64, resetAfter: false)           // Keras 2's convention: 37,056 parameters
/// </code>
/// </example>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates a GRU layer (Keras 3's defaults).</summary>
    /// <param name="units">Size of the output and state (positive).</param>
    /// <param name="activation">Activation of the candidate; default tanh.</param>
    /// <param name="recurrentActivation">Activation of the gates; default sigmoid.</param>
    /// <param name="useBias">Whether the layer has biases.</param>
    /// <param name="kernelInitializer">Initializer of <c>kernel</c>; default glorot_uniform.</param>
    /// <param name="recurrentInitializer">Initializer of <c>recurrent_kernel</c>; default orthogonal.</param>
    /// <param name="biasInitializer">Initializer of <c>bias</c>; default zeros.</param>
    /// <param name="dropout">Fraction of the inputs dropped in training, in [0, 1].</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped in training, in [0, 1].</param>
    /// <param name="seed">Seed of the dropout masks.</param>
    /// <param name="returnSequences">Return every step's output instead of the last.</param>
    /// <param name="returnState">Also return the final state (see <see cref="RecurrentLayer.CallWithStates"/>).</param>
    /// <param name="goBackwards">Process the sequence backwards.</param>
    /// <param name="stateful">Each batch starts from the previous batch's final state.</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent matrix product (Keras 3's default, and
    /// libtorch's and cuDNN's convention), with separate input and recurrent biases.</param>
    /// <param name="inputShape">Per-sample input shape <c>[timesteps, features]</c>.</param>
    /// <param name="name">Layer name; default gru, gru_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException">units not positive, or a dropout outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Unknown activation or initializer.</exception>
    public GRU(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
        string kernelInitializer = "glorot_uniform", string recurrentInitializer = "orthogonal", string biasInitializer = "zeros",
        double dropout = 0, double recurrentDropout = 0, int? seed = null, bool returnSequences = false, bool returnState = false,
        bool goBackwards = false, bool stateful = false, bool resetAfter = true, long[]? inputShape = null, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout,
            returnSequences, returnState, goBackwards, stateful, seed, inputShape, name)
    {
        RecurrentActivation = ActivationRegistry.Get(recurrentActivation);
        ResetAfter = resetAfter;
    }

    /// <summary>Activation of the gates.</summary>
    public ActivationFunction RecurrentActivation { get; }

    /// <summary>Whether the reset gate applies after the recurrent matrix product.</summary>
    public bool ResetAfter { get; }

    private protected override int Gates => 3;

    private protected override RecurrentKind? FusedKind =>
        ResetAfter && Activation.Name == "tanh" && RecurrentActivation.Name == "sigmoid" ? RecurrentKind.Gru : null;

    private protected override void BuildBias(long width)
    {
        if (ResetAfter) AddWeight("bias", [2, width], BiasInitializer, 2, width); // Keras's fans of a (2, 3·units) weight
        else base.BuildBias(width);
    }

    private protected override Tensor? InputBias => ResetAfter && Bias is { } bias ? bias[0] : Bias;

    private protected override (Tensor Output, Tensor[] States) Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var previous = states[0];
        var h = recurrentMask is null ? previous : previous * recurrentMask;
        var recurrentKernel = RecurrentKernel!;
        var x = projected.chunk(3, 1);
        Tensor z, candidate;
        if (ResetAfter)
        {
            var inner = matmul(h, recurrentKernel);
            if (Bias is { } bias) inner = inner + bias[1];
            var r = inner.chunk(3, 1);
            z = RecurrentActivation.Call(x[0] + r[0]);
            var reset = RecurrentActivation.Call(x[1] + r[1]);
            candidate = Activation.Call(x[2] + reset * r[2]);
        }
        else
        {
            var inner = matmul(h, recurrentKernel.narrow(1, 0, 2L * Units)).chunk(2, 1);
            z = RecurrentActivation.Call(x[0] + inner[0]);
            var reset = RecurrentActivation.Call(x[1] + inner[1]);
            candidate = Activation.Call(x[2] + matmul(reset * h, recurrentKernel.narrow(1, 2L * Units, Units)));
        }
        var output = z * previous + (1 - z) * candidate;
        return (output, [output]);
    }
}
