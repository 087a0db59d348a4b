using Sequential.Callbacks;
using Sequential.Losses;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Sequential.Core.Tests.Callbacks;

public class TerminateOnNaNTests
{
    /// MSE that turns NaN from its third call on (the third training batch).
    private sealed class NaNFromThirdCall() : Loss("nan_from_third_call")
    {
        private int _calls;

        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) =>
            (yPred.reshape(-1) - yTrue.reshape(-1)).square() * (++_calls >= 3 ? double.NaN : 1.0);
    }

    [Test]
    public void StopsInTheBatchWhereTheLossBecomesNaN()
    {
        var model = new SequentialModel(new Sequential.Layers.Dense(1, inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: new NaNFromThirdCall(), device: "cpu");
        var (x, y) = Line(10);
        var batches = new List<(int epoch, int batch)>();
        int epoch = -1;
        var counter = new LambdaCallback(onEpochBegin: (e, _) => epoch = e, onTrainBatchEnd: (b, _) => batches.Add((epoch, b)));
        var history = model.Fit(x, y, epochs: 3, batchSize: 2, verbose: 0, shuffle: false, callbacks: [new TerminateOnNaN(), counter]);
        // 5 batches per epoch; batch 2 of epoch 0 is the first NaN one: nothing runs after it.
        Assert.That(batches, Is.EqualTo(new[] { (0, 0), (0, 1), (0, 2) }));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0 }));
        Assert.That(double.IsNaN(history["loss"][0]), Is.True);
        model.Dispose();
    }

    [Test]
    public void FiniteLossesDoNotStop()
    {
        using var model = Linear();
        var (x, y) = Line(4);
        var history = model.Fit(x, y, epochs: 2, batchSize: 2, verbose: 0, callbacks: [new TerminateOnNaN()]);
        Assert.That(history.Epochs, Has.Count.EqualTo(2));
    }
}
