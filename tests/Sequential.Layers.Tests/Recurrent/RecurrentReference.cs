using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Keras's cell equations written out by hand in float64, one sample at a time, for fixed weights in Keras's layout:
/// the reference the layers' fused and step paths are checked against.
internal static class RecurrentReference
{
    /// The layer's weights in float64 (kernel, recurrent kernel, bias or null).
    public static (Tensor Kernel, Tensor Recurrent, Tensor? Bias) Weights(RecurrentLayer layer) =>
        (layer.Kernel!.detach().to(ScalarType.Float64), layer.RecurrentKernel!.detach().to(ScalarType.Float64),
         layer.Bias?.detach().to(ScalarType.Float64));

    /// Runs one sequence x [T, F] (float64) through the layer's equations from states [units] each; mask [T] or null.
    /// Returns the outputs in processing order [T, units] and the final states, as Keras's loop does.
    public static (Tensor Outputs, Tensor[] States) Run(RecurrentLayer layer, Tensor x, Tensor[] states, bool[]? mask = null,
        bool zeroOutputForMask = false)
    {
        var (k, u, b) = Weights(layer);
        long steps = x.shape[0], units = layer.Units;
        var outputs = new List<Tensor>();
        var previous = zeros(units, dtype: ScalarType.Float64);
        for (long s = 0; s < steps; s++)
        {
            long t = layer.GoBackwards ? steps - 1 - s : s;
            var (output, next) = Cell(layer, x[t], states, k, u, b, units);
            if (mask is not null && !mask[t])
            {
                output = zeroOutputForMask ? zeros(units, dtype: ScalarType.Float64) : previous;
                next = states;
            }
            outputs.Add(output);
            previous = output;
            states = next;
        }
        return (stack(outputs), states);
    }

    private static Tensor Sigmoid(Tensor v) => 1.0 / (1.0 + exp(-v));

    private static (Tensor, Tensor[]) Cell(RecurrentLayer layer, Tensor x, Tensor[] states, Tensor k, Tensor u, Tensor? b, long n)
    {
        Tensor Block(Tensor m, int i) => m.narrow(-1, i * n, n);
        var h = states[0];
        switch (layer)
        {
            case LSTM:
            {
                var z = matmul(x, k) + matmul(h, u);
                if (b is not null) z += b;
                var i = Sigmoid(Block(z, 0));
                var f = Sigmoid(Block(z, 1));
                var c = f * states[1] + i * tanh(Block(z, 2));
                var o = Sigmoid(Block(z, 3));
                var hNew = o * tanh(c);
                return (hNew, [hNew, c]);
            }
            case GRU gru:
            {
                var xin = matmul(x, k);
                if (b is not null) xin += gru.ResetAfter ? b[0] : b;
                Tensor z, r, candidate;
                if (gru.ResetAfter)
                {
                    var inner = matmul(h, u);
                    if (b is not null) inner += b[1];
                    z = Sigmoid(Block(xin, 0) + Block(inner, 0));
                    r = Sigmoid(Block(xin, 1) + Block(inner, 1));
                    candidate = tanh(Block(xin, 2) + r * Block(inner, 2));
                }
                else
                {
                    z = Sigmoid(Block(xin, 0) + matmul(h, Block(u, 0)));
                    r = Sigmoid(Block(xin, 1) + matmul(h, Block(u, 1)));
                    candidate = tanh(Block(xin, 2) + matmul(r * h, Block(u, 2)));
                }
                var hNew = z * h + (1 - z) * candidate;
                return (hNew, [hNew]);
            }
            default:
            {
                var pre = matmul(x, k) + matmul(h, u);
                if (b is not null) pre += b;
                var hNew = layer.Activation.Name == "relu" ? pre.clamp_min(0) : tanh(pre);
                return (hNew, [hNew]);
            }
        }
    }

    /// Fills the built layer's weights with Keras's test constants (kernel 0.01, recurrent 0.02, bias 0.03; an LSTM's
    /// forget block of the bias 1 when unitForgetBias, as Keras's initializer makes it).
    public static void KerasConstants(RecurrentLayer layer)
    {
        using var noGrad = no_grad();
        layer.Kernel!.fill_(0.01);
        layer.RecurrentKernel!.fill_(0.02);
        if (layer.Bias is { } bias)
        {
            bias.fill_(0.03);
            if (layer is LSTM { UnitForgetBias: true }) bias.narrow(0, layer.Units, layer.Units).fill_(1);
        }
    }

    /// Random weights (float32 values), so that every gate matters.
    public static void RandomWeights(RecurrentLayer layer, int seed)
    {
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        foreach (var w in layer.Weights) w.copy_(randn(w.shape, generator: generator) * 0.5);
    }
}
