using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// The hand-written TorchSharp loop: the same network, Keras's initialisation (glorot_uniform kernels, zero biases),
/// Adam with Keras's epsilon, shuffling with randperm, and loss and accuracy accumulated on the device, read once
/// per epoch — the work Fit does, written by hand.
/// </summary>
internal sealed class RawLoop
{
    private readonly ModelSpec _spec;
    private readonly Tensor _x, _y;
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;

    public RawLoop(ModelSpec spec, Tensor x, Tensor y, string device = "cpu")
    {
        _spec = spec;
        _device = torch.device(device);
        (_x, _y) = (spec.ToTorchInput(x).to(_device), y.to(_device));
        RandomSeed.Set(0);
        _net = spec.Raw();
        using (no_grad())
        {
            foreach (var (name, p) in _net.named_parameters())
            {
                if (name.EndsWith("weight"))
                {
                    long receptive = p.dim() == 4 ? p.shape[2] * p.shape[3] : 1;
                    double limit = Math.Sqrt(6.0 / ((p.shape[0] + p.shape[1]) * receptive));
                    p.uniform_(-limit, limit);
                }
                else p.zero_();
            }
        }
        _net.to(_device);
        _optimizer = optim.Adam(_net.parameters(), 1e-3, 0.9, 0.999, 1e-7);
    }

    public double Epoch()
    {
        var sw = Stopwatch.StartNew();
        long n = _x.shape[0];
        int batch = _spec.BatchSize;
        _net.train();
        using var epochScope = NewDisposeScope();
        var perm = randperm(n, device: _device);
        var lossSum = zeros([], ScalarType.Float64, _device);
        var correct = zeros([], ScalarType.Int64, _device);
        for (long start = 0; start < n; start += batch)
        {
            using var batchScope = NewDisposeScope();
            var index = perm.narrow(0, start, Math.Min(batch, n - start));
            var x = _x.index_select(0, index);
            var y = _y.index_select(0, index);
            _optimizer.zero_grad();
            var logits = _net.call(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            _optimizer.step();
            using (no_grad())
            {
                lossSum.add_(loss.detach(), alpha: x.shape[0]);
                correct.add_(logits.argmax(1).eq(y).sum());
            }
        }
        _ = lossSum.item<double>() / n + correct.item<long>(); // the epoch's one read, as Fit does
        return sw.Elapsed.TotalSeconds;
    }

    public double TestAccuracy(Tensor xTest, Tensor yTest)
    {
        _net.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = _spec.ToTorchInput(xTest).to(_device);
        yTest = yTest.to(_device);
        long correct = 0;
        for (long start = 0; start < x.shape[0]; start += 1000)
            correct += _net.call(x.narrow(0, start, Math.Min(1000, x.shape[0] - start))).argmax(1)
                .eq(yTest.narrow(0, start, Math.Min(1000, x.shape[0] - start))).sum().item<long>();
        return correct / (double)x.shape[0];
    }
}
