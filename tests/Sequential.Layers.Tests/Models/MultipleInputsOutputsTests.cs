using System.Collections;
using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>
/// Models with several inputs and outputs (DESIGN.md's "shop" model): data as dictionaries or lists, a loss, weight and
/// metrics per output, Keras 3's log names, Predict per output, and the errors for names that do not match.
/// </summary>
public class MultipleInputsOutputsTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    private static void CompileShop(Model shop) => shop.Compile(optimizer: "adam",
        loss: new Dictionary<string, Loss> { ["kind"] = new SparseCategoricalCrossentropy(fromLogits: true), ["price"] = "mse" },
        lossWeights: new Dictionary<string, double> { ["kind"] = 1.0, ["price"] = 0.5 },
        metrics: new Dictionary<string, IEnumerable<object>> { ["kind"] = ["accuracy"], ["price"] = ["mae"] },
        device: "cpu");

    [Test]
    public void Names_AreTheInputsAndTheLayersProducingTheOutputs()
    {
        var shop = ShopModel.Build();
        Assert.That(shop.InputNames, Is.EqualTo(new[] { "image", "meta" }));
        Assert.That(shop.OutputNames, Is.EqualTo(new[] { "kind", "price" }));
        // 16 + 3 = 19 features: kind 19*3+3 = 60, price 19+1 = 20.
        Assert.That(shop.CountParams(), Is.EqualTo(80));
    }

    [Test]
    public void Fit_WithDictionaries_LogsKeras3Keys_InKerasOrder()
    {
        var shop = ShopModel.Build();
        CompileShop(shop);
        var (x, y) = ShopModel.Data(40);
        var history = shop.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, validationSplit: 0.2);
        // Keras 3: the loss tracker, the compiled metrics (prefixed by output), then each output's loss.
        Assert.That(history.Keys, Is.EqualTo(new[]
        {
            "loss", "kind_accuracy", "price_mae", "kind_loss", "price_loss",
            "val_loss", "val_kind_accuracy", "val_price_mae", "val_kind_loss", "val_price_loss",
        }));
        Assert.That(history["loss"][1], Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void Evaluate_TheLossIsTheWeightedSumOfTheOutputLosses_ComputedByHand()
    {
        var shop = ShopModel.Build();
        CompileShop(shop);
        var (x, y) = ShopModel.Data(12);
        var logs = shop.Evaluate(x, y, batchSize: 12, verbose: 0);
        var predicted = shop.Predict(x, verbose: 0);
        // By hand: mean cross-entropy of the logits, mean squared error, mean absolute error.
        double kindLoss = nn.functional.cross_entropy(predicted["kind"], y["kind"]).item<float>();
        double priceLoss = (predicted["price"] - y["price"]).pow(2).mean().item<float>();
        double priceMae = (predicted["price"] - y["price"]).abs().mean().item<float>();
        double accuracy = predicted["kind"].argmax(1).eq(y["kind"]).to_type(ScalarType.Float32).mean().item<float>();
        Assert.That(logs["kind_loss"], Is.EqualTo(kindLoss).Within(1e-5));
        Assert.That(logs["price_loss"], Is.EqualTo(priceLoss).Within(1e-5));
        Assert.That(logs["loss"], Is.EqualTo(kindLoss + 0.5 * priceLoss).Within(1e-5));
        Assert.That(logs["price_mae"], Is.EqualTo(priceMae).Within(1e-5));
        Assert.That(logs["kind_accuracy"], Is.EqualTo(accuracy).Within(1e-6));
    }

    [Test]
    public void ListsInModelOrder_GiveTheSameResultsAsDictionaries_InAnyKeyOrder()
    {
        var shop = ShopModel.Build();
        CompileShop(shop);
        var (x, y) = ShopModel.Data(10);
        var reordered = new Dictionary<string, Tensor> { ["meta"] = x["meta"], ["image"] = x["image"] };
        var byName = shop.Predict(reordered, verbose: 0);
        var byList = shop.Predict([x["image"], x["meta"]], verbose: 0);
        Assert.That(byName.Keys, Is.EqualTo(new[] { "kind", "price" }));
        Assert.That(byName["kind"].shape, Is.EqualTo(new long[] { 10, 3 }));
        Assert.That(byName["price"].shape, Is.EqualTo(new long[] { 10, 1 }));
        Assert.That(Values(byList[0]), Is.EqualTo(Values(byName["kind"])));
        Assert.That(Values(byList[1]), Is.EqualTo(Values(byName["price"])));
        var a = shop.Evaluate(x, y, verbose: 0);
        var b = shop.Evaluate([x["image"], x["meta"]], [y["kind"], y["price"]], verbose: 0);
        Assert.That(b["loss"], Is.EqualTo(a["loss"]));
    }

    [Test]
    public void Predict_WithOneTensor_OnAModelWithSeveralOutputs_SaysToUseTheListForm()
    {
        var image = new Input(shape: [3]);
        var model = new Model([image], [new Dense(2, name: "a").Apply(image), new Dense(1, name: "b").Apply(image)]);
        var e = Assert.Throws<InvalidOperationException>(() => model.Predict(ones(4, 3), verbose: 0));
        Assert.That(e!.Message, Does.Contain("has 2 outputs (a, b)").And.Contain("returns one tensor per output"));
    }

    [Test]
    public void DictionaryInput_MissingOrExtraName_ListsBoth()
    {
        var shop = ShopModel.Build();
        CompileShop(shop);
        var (x, y) = ShopModel.Data(4);
        var wrong = new Dictionary<string, Tensor> { ["image"] = x["image"], ["metadata"] = x["meta"] };
        var e = Assert.Throws<ArgumentException>(() => shop.Fit(wrong, y, verbose: 0));
        Assert.That(e!.Message, Does.Contain("expects [image, meta] and got [image, metadata]")
            .And.Contain("missing: meta").And.Contain("not inputs of the model: metadata"));
    }

    [Test]
    public void LossDictionary_NamingAnOutputThatDoesNotExist_IsRefusedAtCompile()
    {
        var shop = ShopModel.Build();
        var e = Assert.Throws<ArgumentException>(() => shop.Compile(optimizer: "adam",
            loss: new Dictionary<string, Loss> { ["kind"] = "mse", ["cost"] = "mse" }));
        Assert.That(e!.Message, Does.StartWith("Expected keys [kind, price] in loss dict, but found loss.keys()=[kind, cost]"));
        var m = Assert.Throws<ArgumentException>(() => shop.Compile(optimizer: "adam",
            loss: new Dictionary<string, Loss> { ["kind"] = "mse", ["price"] = "mse" },
            metrics: new Dictionary<string, IEnumerable<object>> { ["cost"] = ["mae"] }));
        Assert.That(m!.Message, Does.Contain("metrics names \"cost\", which is not an output of model \"shop\"; its outputs are [kind, price]"));
    }

    [Test]
    public void OneLoss_IsBroadcastToEveryOutput_AsKerasDoes()
    {
        var input = new Input(shape: [2]);
        var model = new Model([input], [new Dense(1, name: "a").Apply(input), new Dense(1, name: "b").Apply(input)]);
        model.Compile(optimizer: "sgd", loss: "mse", metrics: ["mae", "mse"], device: "cpu");
        var x = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var ya = tensor(new float[] { 1, 0 }).reshape(2, 1);
        var yb = tensor(new float[] { 0, 1 }).reshape(2, 1);
        var logs = model.Evaluate([x], [ya, yb], verbose: 0);
        // A flat list with one metric per output gives each output its own (Keras 3), named as given.
        Assert.That(logs.Keys, Is.EqualTo(new[] { "loss", "a_mae", "b_mse", "a_loss", "b_loss" }));
        Assert.That(logs["loss"], Is.EqualTo(logs["a_loss"] + logs["b_loss"]).Within(1e-6));
    }

    [Test]
    public void ClassWeight_WithSeveralOutputs_IsRefused()
    {
        var shop = ShopModel.Build();
        CompileShop(shop);
        var (x, y) = ShopModel.Data(4);
        var e = Assert.Throws<ArgumentException>(() => shop.Fit([x["image"], x["meta"]], [y["kind"], y["price"]], verbose: 0,
            classWeight: new Dictionary<int, double> { [0] = 2 }));
        Assert.That(e!.Message, Does.Contain("classWeight is only supported for models with one output"));
    }

    /// <summary>Batches keyed by name, as a Dataset yields them.</summary>
    private sealed class NamedBatches(Dictionary<string, Tensor> x, Dictionary<string, Tensor> y, int batchSize) : IBatchSource
    {
        public int? BatchesPerPass => (int)((x["meta"].shape[0] + batchSize - 1) / batchSize);

        public IEnumerable<Batch> GetBatches()
        {
            long n = x["meta"].shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                long length = Math.Min(batchSize, n - start);
                yield return new Batch(
                    x.ToDictionary(e => e.Key, e => e.Value.narrow(0, start, length)),
                    y.ToDictionary(e => e.Key, e => e.Value.narrow(0, start, length)));
            }
        }

        public IEnumerator<(Tensor x, Tensor y)> GetEnumerator() =>
            throw new InvalidOperationException("batches keyed by name: pass them to Fit");

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Test]
    public void Fit_OnABatchSourceOfNamedBatches_TrainsLikeTheTensors()
    {
        var (x, y) = ShopModel.Data(24);
        var a = ShopModel.Build();
        var b = ShopModel.Build();
        b.SetWeights(a.GetWeights());
        CompileShop(a);
        CompileShop(b);
        var fromTensors = a.Fit(x, y, batchSize: 8, epochs: 2, shuffle: false, verbose: 0);
        var fromBatches = b.Fit(new NamedBatches(x, y, 8), epochs: 2, verbose: 0);
        Assert.That(fromBatches["loss"], Is.EqualTo(fromTensors["loss"]));
        Assert.That(fromBatches["kind_accuracy"], Is.EqualTo(fromTensors["kind_accuracy"]));
    }

    [Test]
    public void SampleWeight_WeighsEveryOutputsLoss_ComputedByHand()
    {
        var shop = ShopModel.Build();
        CompileShop(shop);
        var (x, y) = ShopModel.Data(8);
        var w = tensor(new float[] { 1, 0, 2, 0, 1, 0, 1, 0 });
        var predicted = shop.Predict(x, verbose: 0); // before the one step: the logged loss is computed with these weights
        var history = shop.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, shuffle: false, sampleWeight: w);
        // Keras's sum_over_batch_size: sum(loss_i * w_i) / N, for each output; then 1.0 * kind + 0.5 * price.
        var kind = nn.functional.cross_entropy(predicted["kind"], y["kind"], reduction: nn.Reduction.None);
        var price = (predicted["price"] - y["price"]).pow(2).squeeze(1);
        double kindLoss = (kind * w).sum().item<float>() / 8;
        double priceLoss = (price * w).sum().item<float>() / 8;
        Assert.That(history["kind_loss"][0], Is.EqualTo(kindLoss).Within(1e-5));
        Assert.That(history["price_loss"][0], Is.EqualTo(priceLoss).Within(1e-5));
        Assert.That(history["loss"][0], Is.EqualTo(kindLoss + 0.5 * priceLoss).Within(1e-5));
    }

    [Test]
    public void DefaultInputNames_AreNumbered_InNamesSummaryAndConnections()
    {
        var a = new Input(shape: [2]);
        var b = new Input(shape: [2]);
        var model = new Model([a, b], new Add().Apply(a, b));
        Assert.That(model.InputNames, Is.EqualTo(new[] { "input_layer", "input_layer_1" }));
        string summary = model.Summary();
        Assert.That(summary, Does.Contain("input_layer_1 (InputLayer)").And.Contain("input_layer[0][0],").And.Contain("input_layer_1[0][0]  "));
        var sum = model.Predict(new Dictionary<string, Tensor> { ["input_layer_1"] = ones(1, 2), ["input_layer"] = ones(1, 2) * 2 }, verbose: 0);
        Assert.That(Values(sum["add"]), Is.EqualTo(new float[] { 3, 3 }));
    }

    [Test]
    public void Clone_OfAGraph_HasItsArchitectureAndFreshWeights_AndTheSameOutputsWithItsWeights()
    {
        var shop = ShopModel.Build();
        var clone = Sequential.Models.Clone((Model)shop);
        Assert.That(clone, Is.Not.SameAs(shop));
        Assert.That(clone.InputNames, Is.EqualTo(shop.InputNames));
        Assert.That(clone.OutputNames, Is.EqualTo(shop.OutputNames));
        Assert.That(clone.CountParams(), Is.EqualTo(shop.CountParams()));
        Assert.That(Values(clone.GetLayer("kind").Weights[0]), Is.Not.EqualTo(Values(shop.GetLayer("kind").Weights[0])), "fresh weights");
        clone.SetWeights(shop.GetWeights());
        var (x, _) = ShopModel.Data(5);
        var a = shop.Predict(x, verbose: 0);
        var b = clone.Predict(x, verbose: 0);
        Assert.That(Values(b["kind"]), Is.EqualTo(Values(a["kind"])));
        Assert.That(Values(b["price"]), Is.EqualTo(Values(a["price"])));
    }
}
