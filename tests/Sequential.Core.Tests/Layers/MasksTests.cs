using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Layers;

/// Masks travel with tensors from layer to layer as Keras's _keras_mask does.
public class MasksTests
{
    /// Makes the mask "features not all zero" (a Masking-like producer).
    private sealed class MarkZeros : Layer
    {
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;
        public override Tensor Call(Tensor x, bool training) => x;
        public override Tensor? ComputeMask(Tensor x, Tensor? mask) => x.ne(0).any(-1);
    }

    /// Records the mask it is given; passes masks on when told to.
    private sealed class Recorder(bool supportsMasking) : Layer
    {
        public Tensor? Seen;
        public override bool SupportsMasking => supportsMasking;
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;
        public override Tensor Call(Tensor x, bool training) => x * 2;
        public override Tensor Call(Tensor x, Tensor? mask, bool training)
        {
            Seen = mask;
            return Call(x, training);
        }
    }

    private static Tensor Batch() => tensor(new float[,,] { { { 0, 0 }, { 1, 2 }, { 0, 0 } }, { { 2, 2 }, { 0, 0 }, { 2, 1 } } });

    private static bool[] Bools(Tensor t) => t.to_type(ScalarType.Bool).contiguous().data<bool>().ToArray();

    [Test]
    public void SetThenGet_ReturnsTheBooleanMask_AndNullRemovesIt()
    {
        var x = zeros(2, 3, 4);
        Assert.That(Masks.Get(x), Is.Null);
        Masks.Set(x, tensor(new long[,] { { 1, 0, 1 }, { 0, 0, 1 } }));
        Assert.That(Masks.Get(x)!.dtype, Is.EqualTo(ScalarType.Bool));
        Assert.That(Bools(Masks.Get(x)!), Is.EqualTo(new[] { true, false, true, false, false, true }));
        Assert.That(Masks.Get(x * 1), Is.Null, "a new tensor has no mask");
        Masks.Set(x, null);
        Assert.That(Masks.Get(x), Is.Null);
    }

    [Test]
    public void AMaskThatIsNotALeadingShape_IsRefusedWithBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Masks.Set(zeros(2, 3, 4), ones(3, 2)))!;
        Assert.That(ex.Message, Does.StartWith("A mask of shape (3, 2) does not fit a tensor of shape (2, 3, 4)"));
    }

    [Test]
    public void ADisposedMask_ReadsAsNone()
    {
        var x = zeros(1, 2);
        var mask = ones(1, 2, dtype: ScalarType.Bool);
        Masks.Set(x, mask);
        mask.Dispose();
        Assert.That(Masks.Get(x), Is.Null);
    }

    [Test]
    public void OverridingComputeMask_MakesALayerSupportMasking_AsInKeras()
    {
        Assert.That(new MarkZeros().SupportsMasking, Is.True);
        Assert.That(new Recorder(false).SupportsMasking, Is.False);
    }

    [Test]
    public void AProducedMask_ReachesTheNextLayersCall_ThroughASequentialModel()
    {
        // keras/src/layers/core/masking_test.py test_masking_correctness, with a producer defined here.
        var recorder = new Recorder(supportsMasking: true);
        var model = new SequentialModel(new MarkZeros(), recorder);
        var y = model.Apply(Batch());
        Assert.That(Bools(recorder.Seen!), Is.EqualTo(new[] { false, true, false, true, false, true }));
        Assert.That(Bools(Masks.Get(y)!), Is.EqualTo(new[] { false, true, false, true, false, true }), "passed on to the model's output");
    }

    [Test]
    public void ALayerThatDoesNotSupportMasking_DropsTheMask()
    {
        var after = new Recorder(supportsMasking: true);
        var model = new SequentialModel(new MarkZeros(), new Recorder(supportsMasking: false), after);
        var y = model.Apply(Batch());
        Assert.That(after.Seen, Is.Null);
        Assert.That(Masks.Get(y), Is.Null);
    }

    [Test]
    public void AnExplicitMask_IsGivenToCall_AndPassedOn()
    {
        var recorder = new Recorder(supportsMasking: true);
        var mask = tensor(new[,] { { true, false, true }, { false, true, true } });
        var y = recorder.Apply(Batch(), mask: mask);
        Assert.That(recorder.Seen, Is.SameAs(mask));
        Assert.That(Masks.Get(y), Is.SameAs(mask));
    }

    [Test]
    public void AFunctionalGraph_PropagatesMasks()
    {
        var recorder = new Recorder(supportsMasking: true);
        var input = new Input(shape: [3, 2]);
        var model = new Model(input, recorder.Apply(new MarkZeros().Apply(input)));
        var y = model.Apply(Batch());
        Assert.That(Bools(recorder.Seen!), Is.EqualTo(new[] { false, true, false, true, false, true }));
        Assert.That(Bools(Masks.Get(y)!), Is.EqualTo(new[] { false, true, false, true, false, true }));
    }
}
