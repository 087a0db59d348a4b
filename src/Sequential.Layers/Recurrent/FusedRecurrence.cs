using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Runs a whole sequence through libtorch's fused recurrence (<c>at::lstm</c>, <c>at::gru</c>, <c>at::rnn_tanh</c>,
/// <c>at::rnn_relu</c>, reached through TorchSharp's <c>nn.LSTM</c>, <c>nn.GRU</c> and <c>nn.RNN</c>) with weights kept
/// in Keras's layout. TorchSharp 0.107 exposes these kernels only as modules whose weight setters do not reach the
/// module's flat weights, so each call makes a module, copies the Keras-layout weights into it in libtorch's layout, and,
/// when gradients are wanted, runs it inside <see cref="FusedRecurrenceFunction"/>, which maps the gradients back.
/// </summary>
/// <remarks>
/// Layout: libtorch's <c>weight_ih</c> is the transpose of Keras's <c>kernel</c> and <c>weight_hh</c> of its
/// <c>recurrent_kernel</c>. LSTM gates are i, f, c, o in both. GRU gates are z, r, h in Keras and r, z, n in libtorch,
/// so the first two blocks swap; Keras's GRU with <c>reset_after</c> is libtorch's GRU, its bias rows being
/// <c>bias_ih</c> and <c>bias_hh</c>. A single Keras bias becomes <c>bias_ih</c> with a zero <c>bias_hh</c>.
/// </remarks>
internal static class FusedRecurrence
{
    /// <summary>Runs the recurrence over <paramref name="x"/> <c>[N, T, F]</c> from <paramref name="states"/>
    /// (<c>[N, units]</c> each: h, and c for an LSTM); returns every step's output <c>[N, T, units]</c> and the final states.
    /// With <paramref name="needStates"/> false and gradients wanted, no final states are returned (an empty array): the
    /// autograd node then has one output, so its backward receives one gradient rather than empty ones for unused states.</summary>
    public static (Tensor Outputs, Tensor[] States) Run(RecurrentKind kind, Tensor x, Tensor[] states, Tensor kernel,
        Tensor recurrentKernel, Tensor? bias, bool needStates = true)
    {
        bool wantsGrad = is_grad_enabled()
            && (x.requires_grad || kernel.requires_grad || recurrentKernel.requires_grad || (bias?.requires_grad ?? false)
                || states.Any(s => s.requires_grad));
        if (!wantsGrad)
        {
            using var module = Create(kind, x, kernel, recurrentKernel, bias);
            using var noGrad = no_grad();
            return Forward(kind, module, x, states);
        }
        var results = FusedRecurrenceFunction.apply(kind, x, states[0], states.Length > 1 ? states[1] : null, kernel, recurrentKernel, bias,
            needStates);
        return (results[0], results.Skip(1).ToArray());
    }

    /// <summary>Makes the libtorch module for the layer's sizes, on the input's device and dtype, holding the weights.</summary>
    internal static nn.Module Create(RecurrentKind kind, Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor? bias)
    {
        long features = kernel.shape[0], units = recurrentKernel.shape[0];
        bool hasBias = bias is not null;
        nn.Module module = kind switch
        {
            RecurrentKind.Lstm => nn.LSTM(features, units, bias: hasBias, batchFirst: true),
            RecurrentKind.Gru => nn.GRU(features, units, bias: hasBias, batchFirst: true),
            RecurrentKind.SimpleRelu => nn.RNN(features, units, nonLinearity: nn.NonLinearities.ReLU, bias: hasBias, batchFirst: true),
            _ => nn.RNN(features, units, nonLinearity: nn.NonLinearities.Tanh, bias: hasBias, batchFirst: true),
        };
        if (x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32) module.to(x.device, x.dtype);
        var weights = Weights(module);
        using var noGrad = no_grad();
        bool gru = kind == RecurrentKind.Gru;
        weights.Ih.copy_(ToTorch(kernel, units, gru).t());
        weights.Hh.copy_(ToTorch(recurrentKernel, units, gru).t());
        if (bias is not null)
        {
            if (bias.dim() == 2)
            {
                weights.BiasIh!.copy_(ToTorch(bias[0], units, gru));
                weights.BiasHh!.copy_(ToTorch(bias[1], units, gru));
            }
            else
            {
                weights.BiasIh!.copy_(ToTorch(bias, units, gru));
                weights.BiasHh!.zero_();
            }
        }
        return module;
    }

    /// <summary>The module's weights, by libtorch's names.</summary>
    internal static (Tensor Ih, Tensor Hh, Tensor? BiasIh, Tensor? BiasHh) Weights(nn.Module module)
    {
        var named = module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        return (named["weight_ih_l0"], named["weight_hh_l0"], named.GetValueOrDefault("bias_ih_l0"), named.GetValueOrDefault("bias_hh_l0"));
    }

    /// <summary>Calls the module on <c>[N, T, F]</c> with states <c>[N, units]</c>; returns outputs and final states.</summary>
    internal static (Tensor Outputs, Tensor[] States) Forward(RecurrentKind kind, nn.Module module, Tensor x, Tensor[] states)
    {
        switch (module)
        {
            case TorchSharp.Modules.LSTM lstm:
            {
                var (output, h, c) = lstm.call(x, (states[0].unsqueeze(0), states[1].unsqueeze(0)));
                return (output, [h.squeeze(0), c.squeeze(0)]);
            }
            case TorchSharp.Modules.GRU gru:
            {
                var (output, h) = gru.call(x, states[0].unsqueeze(0));
                return (output, [h.squeeze(0)]);
            }
            case TorchSharp.Modules.RNN rnn:
            {
                var (output, h) = rnn.call(x, states[0].unsqueeze(0));
                return (output, [h.squeeze(0)]);
            }
            default:
                throw new InvalidOperationException($"No fused recurrence for {kind}.");
        }
    }

    /// <summary>
    /// Keras's gate blocks (along the last axis) to libtorch's: GRU's z, r, h become r, z, n (the first two blocks swap,
    /// which is its own inverse, so the same call maps gradients back); other kinds keep their order.
    /// </summary>
    internal static Tensor ToTorch(Tensor keras, long units, bool gru) =>
        gru ? cat([keras.narrow(-1, units, units), keras.narrow(-1, 0, units), keras.narrow(-1, 2 * units, units)], -1) : keras;
}
