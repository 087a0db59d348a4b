using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

public class CompiledMetricsTests
{
    [Test]
    public void ALossWithReductionNone_StopsFitWithTheFix_BeforeBackward()
    {
        var model = new SequentialModel(new Sequential.Layers.Dense(1, inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: new MeanSquaredError(reduction: "none"), device: "cpu");
        using var x = ones(4, 1);

        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(x, x, batchSize: 4, verbose: 0));

        Assert.That(e!.Message, Is.EqualTo(
            "The loss 'mean_squared_error' gave a tensor of shape (4,) for a batch, not one number: with reduction \"none\" a loss " +
            "returns its per-sample values, which training cannot minimise. Compile with reduction \"sum_over_batch_size\" (the " +
            "default), \"sum\" or \"mean_with_sample_weight\", or override ComputeLoss to reduce the values."));
    }
}
