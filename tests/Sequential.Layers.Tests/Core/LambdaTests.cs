using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Core;

public class LambdaTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "seq-lambda-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [Test]
    public void CallsTheFunction_AndFindsTheOutputShapeByCallingItOnce()
    {
        var inputs = new Input(shape: [3]);
        var summed = new Lambda(x => x.sum(-1, keepdim: true) * 2).Apply(inputs);
        Assert.That(summed.Shape, Is.EqualTo(new long[] { 1 }));
        var model = new Model(inputs, summed);
        using var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        Assert.That(Values(model.Predict(x, verbose: 0)), Is.EqualTo(new[] { 12f, 30f }));
        var stacked = new SequentialModel(new Lambda(t => t * 10, inputShape: [3]), new Dense(1, kernelInitializer: "ones", useBias: false));
        Assert.That(Values(stacked.Predict(x, verbose: 0)), Is.EqualTo(new[] { 60f, 150f }));
    }

    [Test]
    public void AFunctionThatDropsTheBatchAxis_IsRefusedNamingTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Lambda(x => x.sum()).Apply(new Input(shape: [3])))!;
        Assert.That(e.Message, Does.Contain("must keep the batch dimension").And.Contain("(None, 3)"));
    }

    [Test]
    public void SaveOfAnAnonymousLambda_IsRefusedBeforeWriting_WithTheFix()
    {
        var model = new SequentialModel(new Lambda(x => x * 2, inputShape: [2]), new Dense(1));
        string path = Path.Combine(_dir, "m.seqmodel");
        var e = Assert.Throws<InvalidOperationException>(() => model.Save(path))!;
        Assert.That(e.Message, Does.Contain("Lambda.Register(\"some_name\", function)").And.Contain("SaveWeights"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void ARegisteredLambda_SavesAndLoads()
    {
        Lambda.Register("halve", x => x / 2);
        var model = new SequentialModel(new Lambda("halve", inputShape: [2]), new Dense(1));
        string path = Path.Combine(_dir, "m.seqmodel");
        model.Save(path);
        var loaded = SequentialModel.Load(path);
        Assert.That(((Lambda)loaded.Layers[0]).Function, Is.EqualTo("halve"));
        using var x = tensor(new float[] { 2, 4 }).reshape(1, 2);
        Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
    }

    [Test]
    public void AnUnregisteredName_ListsTheRegisteredOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new Lambda("nowhere"))!;
        Assert.That(e.Message, Does.Contain("No Lambda function is registered under the name \"nowhere\"")
            .And.Contain("Lambda.Register(\"nowhere\", x => ...)"));
    }
}
