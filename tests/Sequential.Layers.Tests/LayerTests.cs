using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Behaviour every layer inherits from the Layer base class and from being added to a SequentialModel.
public class LayerTests
{
    /// A layer whose class name exercises Keras's snake_case rule for digits after a capital.
    private sealed class MaxPooling2D : Layer
    {
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;
        public override Tensor Call(Tensor x, bool training) => x;
    }

    [Test]
    public void DefaultNames_AreKerasSnakeCase()
    {
        Assert.That(new Dense(1).Name, Is.EqualTo("dense"));
        Assert.That(new Flatten().Name, Is.EqualTo("flatten"));
        Assert.That(new Dropout(0.1).Name, Is.EqualTo("dropout"));
        Assert.That(new InputLayer([2]).Name, Is.EqualTo("input_layer"));
        Assert.That(new MaxPooling2D().Name, Is.EqualTo("max_pooling2d"));
        // Keras's to_snake_case: (.)([A-Z][a-z]+) -> \1_\2, then ([a-z])([A-Z]) -> \1_\2, lower-cased.
        Assert.That(new Conv2DTranspose(1, 2).Name, Is.EqualTo("conv2d_transpose"));
        Assert.That(new PReLU().Name, Is.EqualTo("p_re_lu"));
        Assert.That(new ReLU().Name, Is.EqualTo("re_lu"));
        Assert.That(new GlobalAveragePooling2D().Name, Is.EqualTo("global_average_pooling2d"));
        Assert.That(new SeparableConv2D(1, 3).Name, Is.EqualTo("separable_conv2d"));
    }

    [Test]
    public void RepeatedDefaultNames_GetSuffixes()
    {
        var model = new SequentialModel(new Flatten(inputShape: [4]), new Dense(8), new Dense(4), new Dropout(0.1), new Dense(2));
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "flatten", "dense", "dense_1", "dropout", "dense_2" }));
    }

    [Test]
    public void DefaultName_AvoidsAUserGivenOne()
    {
        var model = new SequentialModel(new Dense(8, inputShape: [4], name: "dense"), new Dense(4), new Dense(2, name: "dense_2"), new Dense(1));
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "dense", "dense_1", "dense_2", "dense_3" }));
    }

    [Test]
    public void DuplicateUserGivenName_Throws()
    {
        var model = new SequentialModel(new Dense(8, inputShape: [4], name: "hidden"));
        var ex = Assert.Throws<ArgumentException>(() => model.Add(new Dense(2, name: "hidden")));
        Assert.That(ex!.Message, Does.Contain("unique names").And.Contain("\"hidden\""));
        Assert.That(model.Layers, Has.Count.EqualTo(1));
    }

    [Test]
    public void SecondLayerWithInputShape_Throws()
    {
        var model = new SequentialModel(new Flatten(inputShape: [28, 28]));
        var ex = Assert.Throws<ArgumentException>(() => model.Add(new Dense(10, inputShape: [784])));
        Assert.That(ex!.Message, Does.Contain("Only the first layer may declare inputShape").And.Contain("\"dense\"").And.Contain("Dense"));
        Assert.That(model.Layers, Has.Count.EqualTo(1));
    }

    [Test]
    public void SameLayerTwice_Throws()
    {
        var dense = new Dense(4);
        var model = new SequentialModel(new Flatten(inputShape: [4]), dense);
        var ex = Assert.Throws<ArgumentException>(() => model.Add(dense));
        Assert.That(ex!.Message, Does.Contain("already in model"));
    }

    [Test]
    public void WrongInputSizeForFirstLayer_Throws_NamingLayerAndBothShapes()
    {
        var model = new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(10));
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(zeros(3, 27, 28), verbose: 0));
        Assert.That(ex!.Message, Does.Contain("\"flatten\"").And.Contain("(None, 28, 28)").And.Contain("(None, 27, 28)"));
    }

    [Test]
    public void LazyBuild_FromFirstBatch_ThenMismatchThrows()
    {
        var model = new SequentialModel(new Dense(3), new Dense(2));
        Assert.That(model.Built, Is.False);
        Assert.That(model.Predict(zeros(4, 5), verbose: 0).shape, Is.EqualTo(new long[] { 4, 2 }));
        Assert.That(model.Layers[0].CountParams(), Is.EqualTo(5 * 3 + 3));
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(zeros(4, 6), verbose: 0));
        Assert.That(ex!.Message, Does.Contain("\"dense\"").And.Contain("(None, 5)").And.Contain("(None, 6)"));
    }

    [Test]
    public void NonPositiveInputShape_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Dense(3, inputShape: [-2, 4]));
        Assert.That(ex!.ParamName, Is.EqualTo("inputShape"));
        Assert.That(ex.Message, Does.Contain("(-2, 4)").And.Contain("without the batch dimension"));
        Assert.That(Assert.Throws<ArgumentException>(() => new Dense(3, inputShape: [0, 4]))!.Message, Does.Contain("got (0, 4)"));
        Assert.That(new Dense(3, inputShape: [Shapes.None, 4]).InputShape, Is.EqualTo(new[] { Shapes.None, 4L }), "Keras's None");
    }

    [Test]
    public void PopThenAdd_RebuildsOnTopOfPreviousOutput()
    {
        var model = new SequentialModel(new Flatten(inputShape: [2, 3]), new Dense(4), new Dense(5));
        model.Pop();
        var head = new Dense(7);
        model.Add(head);
        Assert.That(head.BuiltInputShape, Is.EqualTo(new long[] { 4 }));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 7 }));
        Assert.That(model.Predict(zeros(2, 2, 3), verbose: 0).shape, Is.EqualTo(new long[] { 2, 7 }));
    }

    [Test]
    public void ALayerAppliedFromManyThreadsAtOnce_BuildsOnce()
    {
        // A Dataset's parallel Map may apply an unbuilt layer from several workers at the same moment.
        for (int round = 0; round < 5; round++)
        {
            var dense = new Dense(3);
            using var start = new System.Threading.Barrier(8);
            var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    using var scope = TorchSharp.torch.NewDisposeScope();
                    dense.Apply(TorchSharp.torch.ones(2, 4));
                }
                catch (Exception e) { errors.Add(e); }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.That(errors, Is.Empty);
            Assert.That(dense.Weights, Has.Count.EqualTo(2), "one kernel and one bias, not one per thread");
            Assert.That(dense.CountParams(), Is.EqualTo(4 * 3 + 3));
        }
    }
}
