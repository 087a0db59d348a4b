using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// A fully-connected recurrent layer whose output is fed back (Keras's <c>SimpleRNN</c>):
/// <c>h_t = activation(x_t·kernel + bias + h_{t-1}·recurrent_kernel)</c>, the output being h.
/// </summary>
/// <remarks>
/// Parameters: features·units + units·units + units. With tanh or relu (and no recurrent dropout in training) it runs
/// libtorch's fused RNN kernel; otherwise a step loop with the same equations.
/// </remarks>
/// <example>
/// <code>
/// new SimpleRNN(32)                              // (None, 10, 8) -> (None, 32), 8·32 + 32·32 + 32 = 1,312 parameters
/// new SimpleRNN(32, returnSequences: true)       // (None, 10, 8) -> (None, 10, 32)
/// </code>
/// </example>
public sealed class SimpleRNN : RecurrentLayer
{
    /// <summary>Creates a SimpleRNN layer (Keras 3's defaults).</summary>
    /// <param name="units">Size of the output and state (positive).</param>
    /// <param name="activation">Activation; default tanh.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="kernelInitializer">Initializer of <c>kernel</c>; default glorot_uniform.</param>
    /// <param name="recurrentInitializer">Initializer of <c>recurrent_kernel</c>; default orthogonal.</param>
    /// <param name="biasInitializer">Initializer of <c>bias</c>; default zeros.</param>
    /// <param name="dropout">Fraction of the inputs dropped in training, in [0, 1].</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped in training, in [0, 1].</param>
    /// <param name="returnSequences">Return every step's output instead of the last.</param>
    /// <param name="returnState">Also return the final state (see <see cref="RecurrentLayer.CallWithStates"/>).</param>
    /// <param name="goBackwards">Process the sequence backwards.</param>
    /// <param name="stateful">Each batch starts from the previous batch's final state.</param>
    /// <param name="seed">Seed of the dropout masks.</param>
    /// <param name="inputShape">Per-sample input shape <c>[timesteps, features]</c>.</param>
    /// <param name="name">Layer name; default simple_rnn, simple_rnn_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException">units not positive, or a dropout outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Unknown activation or initializer.</exception>
    public SimpleRNN(int units, string? activation = "tanh", bool useBias = true, string kernelInitializer = "glorot_uniform",
        string recurrentInitializer = "orthogonal", string biasInitializer = "zeros", double dropout = 0, double recurrentDropout = 0,
        bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, int? seed = null,
        long[]? inputShape = null, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout,
            returnSequences, returnState, goBackwards, stateful, seed, inputShape, name)
    {
    }

    private protected override int Gates => 1;

    private protected override RecurrentKind? FusedKind => Activation.Name switch
    {
        "tanh" => RecurrentKind.SimpleTanh,
        "relu" => RecurrentKind.SimpleRelu,
        _ => null,
    };

    private protected override (Tensor Output, Tensor[] States) Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var h = recurrentMask is null ? states[0] : states[0] * recurrentMask;
        var output = Activation.Call(projected + matmul(h, RecurrentKernel!));
        return (output, [output]);
    }
}
