using Sequential.Callbacks;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

public class LambdaCallbackTests
{
    [Test]
    public void HooksAreCalledWithTheRightEpochsAndBatches()
    {
        using var model = Linear();
        var (x, y) = Line(4);
        var events = new List<string>();
        var callback = new LambdaCallback(
            onTrainBegin: _ => events.Add("train_begin"),
            onEpochBegin: (e, _) => events.Add($"epoch_begin {e}"),
            onTrainBatchBegin: (b, _) => events.Add($"batch_begin {b}"),
            onTrainBatchEnd: (b, logs) => events.Add($"batch_end {b} {logs.ContainsKey("loss")}"),
            onEpochEnd: (e, logs) => events.Add($"epoch_end {e} {logs.ContainsKey("loss")}"),
            onTrainEnd: _ => events.Add("train_end"));
        model.Fit(x, y, epochs: 2, batchSize: 2, verbose: 0, callbacks: [callback]);
        Assert.That(events, Is.EqualTo(new[]
        {
            "train_begin",
            "epoch_begin 0", "batch_begin 0", "batch_end 0 True", "batch_begin 1", "batch_end 1 True", "epoch_end 0 True",
            "epoch_begin 1", "batch_begin 0", "batch_end 0 True", "batch_begin 1", "batch_end 1 True", "epoch_end 1 True",
            "train_end",
        }));
    }

    [Test]
    public void OnBatchNamesAreAliasesForTrainingBatches()
    {
        using var model = Linear();
        var (x, y) = Line(6);
        var begins = new List<int>();
        var ends = new List<int>();
        var callback = new LambdaCallback(onBatchBegin: (b, _) => begins.Add(b), onBatchEnd: (b, _) => ends.Add(b));
        model.Fit(x, y, epochs: 1, batchSize: 2, verbose: 0, callbacks: [callback]);
        Assert.That(begins, Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(ends, Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void NoFunctionsIsANoOp()
    {
        using var model = Linear();
        var (x, y) = Line(2);
        Assert.DoesNotThrow(() => model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new LambdaCallback()]));
    }
}
