using Sequential.Activations;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Long short-term memory (Keras's <c>LSTM</c>, Hochreiter 1997). Per step, with gates in Keras's order i, f, c, o:
/// <c>z = x_t·kernel + h_{t-1}·recurrent_kernel + bias</c>, <c>i = σ(z_i)</c>, <c>f = σ(z_f)</c>,
/// <c>c_t = f·c_{t-1} + i·tanh(z_c)</c>, <c>o = σ(z_o)</c>, <c>h_t = o·tanh(c_t)</c> (σ the recurrent activation).
/// </summary>
/// <remarks>
/// Weights in Keras's layout and names: <c>kernel</c> <c>[features, 4·units]</c>, <c>recurrent_kernel</c>
/// <c>[units, 4·units]</c>, <c>bias</c> <c>[4·units]</c>; parameters 4·(features·units + units² + units). With the
/// default activations (and no recurrent dropout in training) it runs libtorch's fused LSTM, whose gate order i, f, g, o
/// is Keras's; otherwise a step loop with the equations above. States: h and c.
/// </remarks>
/// <example>
/// <code>
/// new LSTM(64)                                   // (None, 200, 128) -> (None, 64), 49,408 parameters
/// new Bidirectional(new LSTM(64, returnSequences: true))
/// </code>
/// </example>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates an LSTM layer (Keras 3's defaults).</summary>
    /// <param name="units">Size of the output and of each state (positive).</param>
    /// <param name="activation">Activation of the candidate and of the cell output; default tanh.</param>
    /// <param name="recurrentActivation">Activation of the gates; default sigmoid.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="kernelInitializer">Initializer of <c>kernel</c>; default glorot_uniform.</param>
    /// <param name="recurrentInitializer">Initializer of <c>recurrent_kernel</c>; default orthogonal.</param>
    /// <param name="biasInitializer">Initializer of <c>bias</c>; default zeros.</param>
    /// <param name="unitForgetBias">Start the forget gate's bias at 1 (Jozefowicz et al.), as Keras does by default.</param>
    /// <param name="dropout">Fraction of the inputs dropped in training, in [0, 1].</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped in training, in [0, 1].</param>
    /// <param name="seed">Seed of the dropout masks.</param>
    /// <param name="returnSequences">Return every step's output instead of the last.</param>
    /// <param name="returnState">Also return the final states h and c (see <see cref="RecurrentLayer.CallWithStates"/>).</param>
    /// <param name="goBackwards">Process the sequence backwards.</param>
    /// <param name="stateful">Each batch starts from the previous batch's final states.</param>
    /// <param name="inputShape">Per-sample input shape <c>[timesteps, features]</c>.</param>
    /// <param name="name">Layer name; default lstm, lstm_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException">units not positive, or a dropout outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Unknown activation or initializer.</exception>
    public LSTM(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
        string kernelInitializer = "glorot_uniform", string recurrentInitializer = "orthogonal", string biasInitializer = "zeros",
        bool unitForgetBias = true, double dropout = 0, double recurrentDropout = 0, int? seed = null, bool returnSequences = false,
        bool returnState = false, bool goBackwards = false, bool stateful = false, long[]? inputShape = null, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout,
            returnSequences, returnState, goBackwards, stateful, seed, inputShape, name)
    {
        RecurrentActivation = ActivationRegistry.Get(recurrentActivation);
        UnitForgetBias = unitForgetBias;
    }

    /// <summary>Activation of the gates.</summary>
    public ActivationFunction RecurrentActivation { get; }

    /// <summary>Whether the forget gate's bias starts at 1.</summary>
    public bool UnitForgetBias { get; }

    private protected override int Gates => 4;

    internal override int StateCount => 2;

    private protected override RecurrentKind? FusedKind =>
        Activation.Name == "tanh" && RecurrentActivation.Name == "sigmoid" ? RecurrentKind.Lstm : null;

    private protected override void BuildBias(long width)
    {
        var bias = AddWeight("bias", [width], BiasInitializer, width, width);
        if (!UnitForgetBias) return;
        using var noGrad = no_grad();
        bias.narrow(0, Units, Units).fill_(1); // Keras: concat(init(units), ones(units), init(2·units))
    }

    private protected override (Tensor Output, Tensor[] States) Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var h = recurrentMask is null ? states[0] : states[0] * recurrentMask;
        var z = projected + matmul(h, RecurrentKernel!);
        var gates = z.chunk(4, 1);
        var i = RecurrentActivation.Call(gates[0]);
        var f = RecurrentActivation.Call(gates[1]);
        var c = f * states[1] + i * Activation.Call(gates[2]);
        var o = RecurrentActivation.Call(gates[3]);
        var output = o * Activation.Call(c);
        return (output, [output, c]);
    }
}
