using Sequential.Core.Tests.Models;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

public class TensorDataAdapterTests
{
    private static SequentialModel Compiled(int features = 1, int classes = 100)
    {
        var model = new SequentialModel(new Dense(classes, inputShape: [features]));
        model.Compile(optimizer: "sgd", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        return model;
    }

    // x[i] = i and y[i] = i: a batch shows which samples it holds and whether x and y stayed paired.
    private static (Tensor x, Tensor y) Indexed(int n) =>
        (arange(n, ScalarType.Float32).reshape(n, 1), arange(n, ScalarType.Int64));

    private static List<(long[] x, long[] y)> Read(DataAdapter adapter, int? steps = null)
    {
        var result = new List<(long[], long[])>();
        foreach (var (x, y, _) in adapter.Batches(steps))
            result.Add((x.reshape(-1).to_type(ScalarType.Int64).data<long>().ToArray(), y!.data<long>().ToArray()));
        return result;
    }

    [Test]
    public void NoShuffle_YieldsSamplesInOrder_LastBatchShort()
    {
        var (x, y) = Indexed(7);
        var (train, validation) = TensorDataAdapter.Create(Compiled(), x, y, batchSize: 3, shuffle: false, 0, null);
        Assert.That(validation, Is.Null);
        Assert.That(train.BatchesPerPass, Is.EqualTo(3));
        var batches = Read(train);
        Assert.That(batches.Select(b => b.x), Is.EqualTo(new[] { new long[] { 0, 1, 2 }, [3, 4, 5], [6] }));
        Assert.That(batches.Select(b => b.y), Is.EqualTo(batches.Select(b => b.x)));
    }

    [Test]
    public void Shuffle_EachPassIsAPermutation_WithPairsKept()
    {
        RandomSeed.Set(21);
        var (x, y) = Indexed(20);
        var (train, _) = TensorDataAdapter.Create(Compiled(), x, y, batchSize: 6, shuffle: true, 0, null);
        var first = Read(train);
        var second = Read(train);
        foreach (var pass in new[] { first, second })
        {
            Assert.That(pass.Select(b => b.x.Length), Is.EqualTo(new[] { 6, 6, 6, 2 }));
            Assert.That(pass.SelectMany(b => b.x).Order(), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
            foreach (var (bx, by) in pass) Assert.That(by, Is.EqualTo(bx), "x and y shuffled with the same order");
        }
        Assert.That(first.SelectMany(b => b.x), Is.Not.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)), "shuffled");
        Assert.That(second.SelectMany(b => b.x), Is.Not.EqualTo(first.SelectMany(b => b.x)), "a new order each epoch");
    }

    [Test]
    public void ValidationSplit_TakesTheLastSamples_BeforeShuffling()
    {
        RandomSeed.Set(22);
        var (x, y) = Indexed(10);
        var (train, validation) = TensorDataAdapter.Create(Compiled(), x, y, batchSize: 4, shuffle: true, 0.3, null);
        Assert.That(validation, Is.Not.Null);
        Assert.That(train.Samples, Is.EqualTo(7));
        Assert.That(validation!.Samples, Is.EqualTo(3));
        Assert.That(Read(validation).SelectMany(b => b.x), Is.EqualTo(new long[] { 7, 8, 9 }));
        Assert.That(Read(train).SelectMany(b => b.x).Order(), Is.EqualTo(Enumerable.Range(0, 7).Select(i => (long)i)));
    }

    [Test]
    public void Steps_BeyondOnePass_WrapAround()
    {
        var (x, y) = Indexed(5);
        var (train, _) = TensorDataAdapter.Create(Compiled(), x, y, batchSize: 2, shuffle: false, 0, null);
        var batches = Read(train, steps: 5);
        Assert.That(batches.Select(b => b.x), Is.EqualTo(new[] { new long[] { 0, 1 }, [2, 3], [4], [0, 1], [2, 3] }));
    }

    [Test]
    public void ValidationData_IsNeverShuffled()
    {
        RandomSeed.Set(23);
        var (x, y) = Indexed(6);
        var (xv, yv) = Indexed(9);
        var (_, validation) = TensorDataAdapter.Create(Compiled(), x, y, batchSize: 4, shuffle: true, 0.5, (xv, yv));
        Assert.That(validation!.Samples, Is.EqualTo(9), "validationData wins over validationSplit");
        Assert.That(Read(validation).SelectMany(b => b.x), Is.EqualTo(Enumerable.Range(0, 9).Select(i => (long)i)));
    }

    [Test]
    public void Create_BuildsTheModelFromTheSampleShape()
    {
        var model = new SequentialModel(new Flatten(), new Dense(3));
        model.Compile(optimizer: "sgd", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        TensorDataAdapter.Create(model, zeros(4, 2, 5), zeros(4, ScalarType.Int64), 2, false, 0, null);
        Assert.That(model.BuiltInputShape, Is.EqualTo(new long[] { 2, 5 }));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void Create_FloatLabelsWithNaN_Throws()
    {
        var model = new SequentialModel(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var y = tensor(new[] { 1f, float.NaN, 0f }).reshape(3, 1);
        var e = Assert.Throws<ArgumentException>(() => TensorDataAdapter.Create(model, zeros(3, 1), y, 2, false, 0, null));
        Assert.That(e!.Message, Does.Contain("y contains 1 NaN"));
    }

    [Test]
    public void Create_ValidationDataWithWrongCount_NamesValidationData()
    {
        var (x, y) = Indexed(4);
        var e = Assert.Throws<ArgumentException>(() =>
            TensorDataAdapter.Create(Compiled(), x, y, 2, false, 0, (zeros(3, 1), zeros(2, ScalarType.Int64))));
        Assert.That(e!.Message, Does.Contain("validationData.x has 3").And.Contain("validationData.y has 2"));
    }

    [Test]
    public void ForPrediction_YieldsInputsOnly()
    {
        var (x, _) = Indexed(5);
        var adapter = TensorDataAdapter.ForPrediction(Compiled(), [x], batchSize: 2);
        var batches = adapter.Batches(null).ToList();
        Assert.That(batches, Has.Count.EqualTo(3));
        Assert.That(batches.All(b => b.Y is null && b.SampleWeight is null), Is.True, "prediction batches carry no targets");
    }
}
