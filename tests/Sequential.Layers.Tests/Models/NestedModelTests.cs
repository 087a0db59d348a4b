using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>A model is a layer (Keras): models inside a SequentialModel, a functional graph and a subclass; input dtypes.</summary>
public class NestedModelTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    private static Model Encoder()
    {
        var inputs = new Input(shape: [4], name: "features");
        var x = new Dense(8, activation: "relu", name: "hidden").Apply(inputs);
        return new Model(inputs, x, name: "encoder");
    }

    [Test]
    public void FunctionalModel_InsideASequentialModel_RunsAsItsLayers_AndTrains()
    {
        var encoder = Encoder();
        var head = new Dense(1, activation: "sigmoid", name: "head");
        var classifier = new SequentialModel(encoder, head);
        var x = randn(6, 4, generator: new Generator(1));
        var byHand = head.Apply(encoder.Predict(x, verbose: 0));
        Assert.That(Values(classifier.Predict(x, verbose: 0)), Is.EqualTo(Values(byHand)).Within(1e-6));
        Assert.That(classifier.Layers.Select(l => l.Name), Is.EqualTo(new[] { "encoder", "head" }));
        Assert.That(classifier.CountParams(), Is.EqualTo(4 * 8 + 8 + 8 + 1));
        // Keras 3 shows the nested model as one row of type Functional.
        Assert.That(classifier.Summary(), Does.Contain("encoder (Functional)"));
        var outer = new SequentialModel(new SequentialModel([new Dense(2, inputShape: [4])], name: "inner"));
        Assert.That(outer.Summary(), Does.Contain("inner (Sequential)"), "Keras 3 names a nested stack's type Sequential");

        classifier.Compile(optimizer: "adam", loss: "binary_crossentropy", device: "cpu");
        var y = (x.sum(1, keepdim: true) > 0).to_type(ScalarType.Float32);
        var before = Values(encoder.GetLayer("hidden").Weights[0]);
        var history = classifier.Fit(x, y, epochs: 3, verbose: 0);
        Assert.That(Values(encoder.GetLayer("hidden").Weights[0]), Is.Not.EqualTo(before), "the nested model's weights train");
        Assert.That(history["loss"][2], Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void Model_AppliedInAnotherGraph_SharesItsWeights_AndFreezesAsALayer()
    {
        var encoder = Encoder();
        var a = new Input(shape: [4], name: "left");
        var b = new Input(shape: [4], name: "right");
        var merged = new Subtract().Apply(encoder.Apply(a), encoder.Apply(b));
        var siamese = new Model([a, b], new Dense(1, name: "score").Apply(merged), name: "siamese");
        Assert.That(siamese.Layers.Select(l => l.Name), Is.EqualTo(new[] { "encoder", "subtract", "score" }));
        Assert.That(siamese.CountParams(), Is.EqualTo(40 + 9), "the encoder's weights count once");
        var x = randn(5, 4, generator: new Generator(2));
        // The same input on both sides: the shared encoder gives equal features, so the score is the bias alone.
        var score = siamese.Predict([x, x], verbose: 0);
        var bias = Values(siamese.GetLayer("score").Weights[1])[0];
        Assert.That(Values(score[0]), Is.All.EqualTo(bias).Within(1e-6));

        encoder.Trainable = false;
        Assert.That(siamese.CountTrainableParams(), Is.EqualTo(9));
        Assert.That(siamese.Summary(), Does.Contain("left[0][0]"));
    }

    /// <summary>Keras's GAN pattern: two models held by a subclass are its layers.</summary>
    private sealed class Pair : Model
    {
        private readonly Model _first = Encoder();
        private readonly Dense _second = new(2, name: "out");

        public override Tensor Call(Tensor x, bool training) => _second.Apply(_first.Apply(x, training), training);
    }

    [Test]
    public void Subclass_HoldingAModel_TracksItAsALayer()
    {
        var pair = new Pair();
        pair.Build([4]);
        Assert.That(pair.Layers.Select(l => l.Name), Is.EqualTo(new[] { "encoder", "out" }));
        Assert.That(pair.CountParams(), Is.EqualTo(40 + 18));
    }

    [Test]
    public void NestedModel_WithTheWrongShape_NamesTheModelAndBothShapes()
    {
        var encoder = Encoder();
        var e = Assert.Throws<ArgumentException>(() => encoder.Apply(new Input(shape: [5])));
        Assert.That(e!.Message, Does.Contain("layer \"encoder\"").And.Contain("expected shape (None, 4)").And.Contain("(None, 5)"));
    }

    [Test]
    public void SaveWhole_OfAnUnregisteredSubclassHoldingAModel_IsRefusedBeforeWriting_WithTheFix()
    {
        // Nested SequentialModels and graphs save whole (ModelPersistenceTests); a subclass needs its class registered.
        var pair = new Pair();
        pair.Build([4]);
        string path = Path.Combine(Path.GetTempPath(), $"seq-nested-{Guid.NewGuid():N}.seqmodel");
        var e = Assert.Throws<NotSupportedException>(() => pair.Save(path));
        Assert.That(e!.Message, Does.Contain("ModelRegistry.Register<Pair>()").And.Contain("SaveWeights"));
        Assert.That(File.Exists(path), Is.False);
    }

    /// <summary>Records the dtype it is called with; takes its input as it comes.</summary>
    private sealed class DtypeProbe(ScalarType? wants) : Layer
    {
        public ScalarType Seen { get; private set; }

        public override ScalarType? InputDtype => wants;

        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

        public override Tensor Call(Tensor x, bool training)
        {
            Seen = x.dtype;
            return x.to_type(ScalarType.Float32);
        }
    }

    [Test]
    public void Inputs_KeepTheDtypeTheirInputOrFirstLayerTakes()
    {
        var ids = tensor(new int[] { 1, 2, 3, 4 }).reshape(2, 2); // int32 data

        var keep = new DtypeProbe(null);
        new SequentialModel(keep).Predict(ids, verbose: 0);
        Assert.That(keep.Seen, Is.EqualTo(ScalarType.Int32), "a first layer that asks for no cast gets the data's dtype");

        var floats = new DtypeProbe(ScalarType.Float32);
        new SequentialModel(floats).Predict(ids, verbose: 0);
        Assert.That(floats.Seen, Is.EqualTo(ScalarType.Float32), "Keras's default: float32");

        var input = new Input(shape: [2], dtype: ScalarType.Int64);
        var probe = new DtypeProbe(null);
        new Model(input, probe.Apply(input)).Predict(ids, verbose: 0);
        Assert.That(probe.Seen, Is.EqualTo(ScalarType.Int64), "the Input's dtype");
    }

    /// <summary>A subclass that overrides nothing: neither a graph nor a Call.</summary>
    private sealed class NoComputation : Model;

    [Test]
    public void Fit_OnAModelWithNeitherGraphNorCall_SaysHowToGiveItOne()
    {
        var model = new NoComputation();
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(ones(4, 2), ones(4, 1), verbose: 0));
        Assert.That(e!.Message, Does.Contain("has no computation").And.Contain("new Model(inputs, outputs)").And.Contain("override Call"));
    }

    [Test]
    public void Graph_WithTwoLayersGivenOneName_IsRefused_NamingIt()
    {
        var input = new Input(shape: [3]);
        var x = new Dense(4, name: "twin").Apply(input);
        var y = new Dense(2, name: "twin").Apply(x);
        var e = Assert.Throws<InvalidOperationException>(() => new Model(input, y));
        Assert.That(e!.Message, Does.Contain("two layers named \"twin\"").And.Contain("unique"));
    }
}
