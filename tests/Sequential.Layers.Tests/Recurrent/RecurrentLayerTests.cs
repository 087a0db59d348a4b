using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

public class RecurrentLayerTests
{
    private static readonly long[] Lengths = [6, 3, 1];

    private static RecurrentLayer Create(string kind, bool goBackwards, bool returnSequences) => kind switch
    {
        "lstm" => new LSTM(4, goBackwards: goBackwards, returnSequences: returnSequences),
        "gru" => new GRU(4, goBackwards: goBackwards, returnSequences: returnSequences),
        "gru_before" => new GRU(4, goBackwards: goBackwards, returnSequences: returnSequences, resetAfter: false),
        _ => new SimpleRNN(4, goBackwards: goBackwards, returnSequences: returnSequences),
    };

    private static (RecurrentLayer Layer, Tensor X, Tensor Mask) Padded(string kind, bool goBackwards, bool returnSequences, bool fused)
    {
        var layer = Create(kind, goBackwards, returnSequences);
        layer.AllowFused = fused;
        layer.EnsureBuilt([6, 3]);
        RecurrentReference.RandomWeights(layer, 3);
        var x = randn([3, 6, 3], generator: new TorchSharp.torch.Generator(9));
        var mask = arange(6).unsqueeze(0).lt(tensor(Lengths).unsqueeze(1));
        x = x * mask.unsqueeze(2); // the padding's values must not matter: zeros here, noise in the other test
        return (layer, x, mask);
    }

    /// The same layer (weights copied) built for sequences of another length: layers are built for one input shape.
    private static RecurrentLayer Twin(RecurrentLayer layer, string kind, bool goBackwards, bool returnSequences, long steps)
    {
        var twin = Create(kind, goBackwards, returnSequences);
        twin.AllowFused = layer.AllowFused;
        twin.EnsureBuilt([steps, 3]);
        using var noGrad = no_grad();
        foreach (var (a, b) in twin.Weights.Zip(layer.Weights)) a.copy_(b);
        return twin;
    }

    // A right-padded batch with its mask gives each sequence what it gives alone: forwards, the kept steps and then the
    // last output repeated; backwards (processing order), zeros for the padding met first, then the sequence's outputs.
    [Test]
    public void RightPaddedBatchWithMask_EqualsEachSequenceAlone(
        [Values("lstm", "gru", "gru_before", "simple")] string kind, [Values] bool goBackwards, [Values] bool returnSequences, [Values] bool fused)
    {
        var (layer, x, mask) = Padded(kind, goBackwards, returnSequences, fused);
        x = x + randn(x.shape) * mask.logical_not().unsqueeze(2); // noise in the padding
        var (batch, states) = layer.CallWithStates(x, mask: mask);
        var applied = layer.Apply(x, mask: mask);
        Assert.That((applied - batch).abs().max().item<float>(), Is.LessThan(1e-5f), "Apply with the mask (h only) equals CallWithStates");
        for (int n = 0; n < 3; n++)
        {
            long length = Lengths[n];
            var (alone, aloneStates) = Twin(layer, kind, goBackwards, returnSequences, length).CallWithStates(x[n..(n + 1), ..(int)length]);
            for (int i = 0; i < states.Count; i++)
                Assert.That((states[i][n] - aloneStates[i][0]).abs().max().item<float>(), Is.LessThan(1e-5f), $"row {n} state {i}");
            if (!returnSequences)
            {
                Assert.That((batch[n] - alone[0]).abs().max().item<float>(), Is.LessThan(1e-5f), $"row {n}");
                continue;
            }
            Tensor expected = goBackwards
                ? cat([zeros(6 - length, 4), alone[0]], 0)
                : cat([alone[0], alone[0][-1].unsqueeze(0).expand(6 - length, 4)], 0);
            Assert.That((batch[n] - expected).abs().max().item<float>(), Is.LessThan(1e-5f), $"row {n}");
        }
    }

    // The fused kernel under a right-padded mask gives the step loop's outputs and gradients.
    [Test]
    public void RightPaddedMask_FusedEqualsStepLoop_OutputsAndGradients([Values("lstm", "gru", "simple")] string kind, [Values] bool goBackwards)
    {
        var results = new List<Tensor[]>();
        foreach (bool fused in new[] { true, false })
        {
            var (layer, x, mask) = Padded(kind, goBackwards, returnSequences: true, fused);
            layer.ZeroOutputForMask = goBackwards;
            var xi = x.requires_grad_(true);
            var y = layer.Apply(xi, training: true, mask: mask);
            (y * arange(y.numel()).reshape(y.shape).sin()).sum().backward();
            results.Add([y.detach(), xi.grad!, .. layer.Weights.Select(w => w.grad!)]);
        }
        for (int i = 0; i < results[0].Length; i++)
            Assert.That((results[0][i] - results[1][i]).abs().max().item<float>(), Is.LessThan(1e-4f), $"tensor {i}");
    }

    // The fused kernel's inner graph outlives the dispose scope its forward ran in (a custom loop may close it before backward).
    [Test]
    public void FusedForwardInAClosedDisposeScope_StillBackpropagates()
    {
        var grads = new List<Tensor>();
        foreach (bool fused in new[] { true, false })
        {
            var layer = new LSTM(3) { AllowFused = fused };
            layer.EnsureBuilt([4, 2]);
            RecurrentReference.RandomWeights(layer, 2);
            Tensor y;
            using (var scope = NewDisposeScope())
                y = layer.Apply(randn([2, 4, 2], generator: new TorchSharp.torch.Generator(1)), training: true).MoveToOuterDisposeScope();
            GC.Collect();
            y.square().sum().backward();
            grads.Add(layer.Kernel!.grad!.clone());
        }
        Assert.That((grads[0] - grads[1]).abs().max().item<float>(), Is.LessThan(1e-5f));
    }

    [Test]
    public void MaskKeepingNothing_GivesZeroOutputsAndTheStartStates()
    {
        var layer = new GRU(3, returnSequences: true);
        var h0 = randn(2, 3);
        var (y, states) = layer.CallWithStates(randn(2, 4, 2), [h0], mask: zeros(2, 4, dtype: ScalarType.Bool));
        Assert.That(y.abs().max().item<float>(), Is.EqualTo(0f));
        Assert.That(states[0].eq(h0).all().item<bool>(), Is.True);
    }

    [Test]
    public void InAModel_EmbeddingMaskZero_PaddedIdsPredictAsUnpadded_AndReturnSequencesKeepsTheMask()
    {
        RandomSeed.Set(4);
        var embedding = new Embedding(20, 5, maskZero: true);
        SequentialModel Model(long steps) => new(new Embedding(20, 5, maskZero: true, inputShape: [steps]),
            new Bidirectional(new LSTM(3, returnSequences: true)), new Bidirectional(new GRU(2, returnSequences: true), mergeMode: "sum"), new SimpleRNN(2));
        var model = Model(5);
        var ids = tensor(new long[] { 3, 7, 9, 0, 0, 5, 0, 0, 0, 0 }).reshape(2, 5);
        var padded = model.Predict(ids, verbose: 0);
        var short3 = Model(3);
        short3.SetWeights(model.GetWeights());
        var short1 = Model(1);
        short1.SetWeights(model.GetWeights());
        var first = short3.Predict(ids[..1, ..3], verbose: 0);
        var second = short1.Predict(ids[1..2, ..1], verbose: 0);
        Assert.That((padded[0] - first[0]).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That((padded[1] - second[0]).abs().max().item<float>(), Is.LessThan(1e-5f));

        var sequences = new LSTM(2, returnSequences: true).Apply(embedding.Apply(ids));
        Assert.That(Masks.Get(sequences)!.eq(ids.ne(0)).all().item<bool>(), Is.True);
        Assert.That(Masks.Get(new LSTM(2).Apply(embedding.Apply(ids))), Is.Null);
    }
}
