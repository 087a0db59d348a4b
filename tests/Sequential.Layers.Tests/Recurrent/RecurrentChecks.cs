using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Checks shared by the recurrent layers' tests.
internal static class RecurrentChecks
{
    /// Two equal layers (random weights), one on the fused kernel and one on the step loop, from random initial states:
    /// outputs, final states and every gradient (weights, input, initial states) agree, and both equal the hand-written
    /// float64 equations of <see cref="RecurrentReference"/>.
    public static void FusedStepAndReference(Func<RecurrentLayer> create, int steps, int features, int batch)
    {
        var fused = create();
        var step = create();
        step.AllowFused = false;
        fused.EnsureBuilt([steps, features]);
        step.EnsureBuilt([steps, features]);
        RecurrentReference.RandomWeights(fused, 11);
        RecurrentReference.RandomWeights(step, 11);
        var generator = new TorchSharp.torch.Generator(5);
        var x = randn([batch, steps, features], generator: generator);
        int stateCount = fused is LSTM ? 2 : 1;
        var states = Enumerable.Range(0, stateCount).Select(_ => randn([batch, fused.Units], generator: generator) * 0.5).ToArray();
        var weights = randn([batch, steps, fused.Units], generator: generator);

        var results = new List<(Tensor Output, IReadOnlyList<Tensor> States, Tensor[] Grads)>();
        foreach (var layer in new[] { fused, step })
        {
            var xi = x.clone().requires_grad_(true);
            var si = states.Select(s => s.clone().requires_grad_(true)).ToArray();
            var (output, final) = layer.CallWithStates(xi, si, training: true);
            var loss = (output * (layer.ReturnSequences ? weights : weights.select(1, 0))).sum() + final.Select(f => f.square().sum()).Aggregate((a, b) => a + b);
            loss.backward();
            var grads = layer.Weights.Select(w => w.grad!.clone()).Append(xi.grad!).Concat(si.Select(s => s.grad!)).ToArray();
            results.Add((output.detach(), final.Select(f => f.detach()).ToList(), grads));
        }
        var (a, b) = (results[0], results[1]);
        Assert.That(Max(a.Output, b.Output), Is.LessThan(1e-5), "fused and step outputs");
        for (int i = 0; i < stateCount; i++) Assert.That(Max(a.States[i], b.States[i]), Is.LessThan(1e-5), $"state {i}");
        for (int i = 0; i < a.Grads.Length; i++) Assert.That(Max(a.Grads[i], b.Grads[i]), Is.LessThan(1e-4), $"gradient {i}");

        for (int n = 0; n < batch; n++)
        {
            var (outputs, final) = RecurrentReference.Run(fused, x[n].to(ScalarType.Float64),
                states.Select(s => s[n].to(ScalarType.Float64)).ToArray());
            var expected = fused.ReturnSequences ? outputs : outputs[-1];
            Assert.That(Max(a.Output[n].to(ScalarType.Float64), expected), Is.LessThan(1e-5), $"sample {n} against the equations");
            for (int i = 0; i < stateCount; i++)
                Assert.That(Max(a.States[i][n].to(ScalarType.Float64), final[i]), Is.LessThan(1e-5), $"sample {n} state {i}");
        }
    }

    private static double Max(Tensor a, Tensor b) => (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
}
