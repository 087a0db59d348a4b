using Sequential.Callbacks;
using Sequential.Core.Tests.Models;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

/// <summary>What Fit does with inputs that would otherwise train silently wrong numbers or crash inside libtorch.</summary>
public class TrainingInputTests
{
    private static SequentialModel Classifier()
    {
        var model = new SequentialModel(new Dense(4, activation: "relu", inputShape: [2]), new Dense(2));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        return model;
    }

    private static float[] Weights(Model model) =>
        model.parameters().SelectMany(p => p.detach().cpu().flatten().data<float>().ToArray()).ToArray();

    /// <summary>Batches of 4 samples from the blobs; one element of batch <paramref name="badBatch"/> set to <paramref name="value"/>.</summary>
    private static List<(Tensor x, Tensor y)> Batches(int count, int badBatch = -1, float value = 0, long? badLabel = null)
    {
        var (x, y) = ModelTestData.Blobs(4 * count);
        var batches = new List<(Tensor x, Tensor y)>();
        for (int b = 0; b < count; b++)
        {
            var xb = x.narrow(0, 4 * b, 4).clone();
            var yb = y.narrow(0, 4 * b, 4).clone();
            if (b == badBatch)
            {
                if (badLabel is { } label) yb[2] = tensor(label);
                else xb[2, 1] = tensor(value);
            }
            batches.Add((xb, yb));
        }
        return batches;
    }

    // ---- item 11: infinities ----

    [Test]
    public void Fit_PositiveInfinityInX_ThrowsNamingTheSample_AndTrainsNothing()
    {
        var model = Classifier();
        var (x, y) = ModelTestData.Blobs(10);
        x[7, 0] = tensor(float.PositiveInfinity);
        model.Build([2]);
        var before = Weights(model);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("x contains 1 infinite value (the first in sample 7)"));
        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(Weights(model), Is.EqualTo(before));
    }

    [Test]
    public void Fit_InfinitiesOfBothSigns_ThrowsCountingBoth()
    {
        // +inf + -inf sums to NaN (and NaN + inf to NaN): the message counts what is really there.
        var model = Classifier();
        var (x, y) = ModelTestData.Blobs(10);
        x[2, 0] = tensor(float.PositiveInfinity);
        x[5, 1] = tensor(float.NegativeInfinity);
        x[6, 1] = tensor(float.NaN);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("x contains 1 NaN value and 2 infinite values (the first in sample 2)"));
    }

    [Test]
    public void Predict_InfinityInX_Throws()
    {
        var model = Classifier();
        var (x, _) = ModelTestData.Blobs(10);
        x[3, 1] = tensor(float.NegativeInfinity);
        var e = Assert.Throws<ArgumentException>(() => model.Predict(x, verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("x contains 1 infinite value (the first in sample 3)"));
    }

    [Test]
    public void Fit_InfinityInFloatTargets_Throws()
    {
        var model = new SequentialModel(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var y = zeros(6, 1);
        y[4, 0] = tensor(float.PositiveInfinity);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(6, 2), y, verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("y contains 1 infinite value (the first in sample 4)"));
    }

    [Test]
    public void NonFinite_LargeFiniteValuesWhoseSumOverflows_AreFinite()
    {
        // The quick test (the sum) overflows to +inf; the element check must then find nothing.
        var t = full(4, 2, 3e38f);
        Assert.That(t.sum().isfinite().item<bool>(), Is.False, "the case must take the slow path");
        Assert.That(NonFinite.Any(t), Is.False);
        Assert.DoesNotThrow(() => NonFinite.Check(t, "x", "x", "fix"));
    }

    [Test]
    public void FitIterator_InfinityInALaterBatch_ThrowsNamingBatchAndSample()
    {
        var model = Classifier();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(Batches(3, badBatch: 1, value: float.PositiveInfinity), epochs: 1, verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("batch 1 of data: x contains 1 infinite value (the first in sample 2)"));
        Assert.That(e.ParamName, Is.EqualTo("data"));
        Assert.That(Weights(model).All(float.IsFinite), Is.True);
    }

    [Test]
    public void FitIterator_NaNInValidationBatch_ThrowsNamingValidationData()
    {
        var model = Classifier();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(Batches(2), validationData: Batches(2, badBatch: 0, value: float.NaN), verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("batch 0 of validationData: x contains 1 NaN value"));
    }

    // ---- item 12: labels out of range from an iterator ----

    [Test]
    public void FitIterator_LabelOutOfRange_ThrowsLikeTheTensorPath()
    {
        var model = Classifier();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(Batches(3, badBatch: 2, badLabel: 9), verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("batch 2 of data: Labels must be in [0, 2) for a model whose output has 2 units, but y contains 9"));
        Assert.That(e.InnerException, Is.TypeOf<ArgumentException>());
    }

    [Test]
    public void EvaluateIterator_NegativeLabel_Throws()
    {
        var model = Classifier();
        var e = Assert.Throws<ArgumentException>(() => model.Evaluate(Batches(2, badBatch: 0, badLabel: -1), verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("batch 0 of data: Labels must be in [0, 2)").And.Contain("contains -1"));
    }

    // ---- item 13: stepsPerEpoch ----

    [TestCase(0)]
    [TestCase(-5)]
    public void Fit_StepsPerEpochNotPositive_Throws(int steps)
    {
        var model = Classifier();
        var (x, y) = ModelTestData.Blobs(8);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, stepsPerEpoch: steps, verbose: 0))!;
        Assert.That(e.ParamName, Is.EqualTo("stepsPerEpoch"));
        Assert.That(e.Message, Does.Contain($"stepsPerEpoch must be a positive number of batches, or null for one full pass over the data; got {steps}."));
        var iterator = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Batches(2), stepsPerEpoch: steps, verbose: 0))!;
        Assert.That(iterator.ParamName, Is.EqualTo("stepsPerEpoch"));
    }

    [Test]
    public void Fit_ValidationStepsZero_Throws()
    {
        var model = Classifier();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Batches(2), validationData: Batches(2), validationSteps: 0, verbose: 0))!;
        Assert.That(e.ParamName, Is.EqualTo("validationSteps"));
    }

    [Test]
    public void EvaluateAndPredict_StepsZero_Throw()
    {
        var model = Classifier();
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(Batches(2), steps: 0, verbose: 0))!.ParamName, Is.EqualTo("steps"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(Batches(2), steps: -1, verbose: 0))!.ParamName, Is.EqualTo("steps"));
    }

    // ---- item 14: no trainable weights ----

    [Test]
    public void Fit_FrozenModel_LogsTheLossAndWarnsOnce_AndChangesNothing()
    {
        var model = Classifier();
        var (x, y) = ModelTestData.Blobs(16);
        model.Build([2]);
        foreach (var layer in model.Layers) layer.Trainable = false;
        var before = Weights(model);
        var errors = new StringWriter();
        var saved = Console.Error;
        Console.SetError(errors);
        History history;
        try
        {
            history = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0);
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.That(Weights(model), Is.EqualTo(before));
        Assert.That(history["loss"], Has.Count.EqualTo(2));
        Assert.That(history["loss"][0], Is.GreaterThan(0));
        // Nothing trains, so both epochs see the same weights and the same samples: the same mean loss.
        Assert.That(history["loss"][1], Is.EqualTo(history["loss"][0]).Within(1e-6));
        string warned = errors.ToString();
        Assert.That(warned, Does.Contain("The model does not have any trainable weights."));
        Assert.That(warned.Split("trainable weights.").Length - 1, Is.EqualTo(1), "warned once, not per batch");
    }

    [Test]
    public void Fit_ModelWithoutWeights_TrainsWithoutBackward()
    {
        // A model of only Flatten: the loss is still computed and logged, as in Keras.
        var model = new SequentialModel(new Flatten(inputShape: [2, 2]));
        model.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"], device: "cpu");
        var x = arange(16, ScalarType.Float32).reshape(4, 2, 2);
        var y = zeros(4, 4);
        var errors = new StringWriter();
        var saved = Console.Error;
        Console.SetError(errors);
        try
        {
            var history = model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);
            // mean of (0..15)^2 = 1240 / 16 = 77.5; mae = mean of 0..15 = 7.5
            Assert.That(history["loss"][0], Is.EqualTo(77.5).Within(1e-4));
            Assert.That(history["mae"][0], Is.EqualTo(7.5).Within(1e-5));
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.That(errors.ToString(), Does.Contain("The model does not have any trainable weights."));
    }

    // ---- item 15: state after an exception in a callback ----

    private sealed class ThrowAt(string hook, int at) : Callback
    {
        private void Maybe(string name, int index)
        {
            if (name == hook && index == at) throw new InvalidOperationException($"callback failed in {name} {index}");
        }

        public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Maybe("train_batch_begin", batch);
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Maybe("train_batch_end", batch);
        public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Maybe("test_batch_end", batch);
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Maybe("epoch_end", epoch);
    }

    /// <summary>An iterator that counts its open enumerations (a data source with worker threads stops them on Dispose).</summary>
    private sealed class CountingSource(List<(Tensor x, Tensor y)> batches) : IEnumerable<(Tensor x, Tensor y)>
    {
        public int Open;

        public IEnumerator<(Tensor x, Tensor y)> GetEnumerator()
        {
            Interlocked.Increment(ref Open);
            try
            {
                foreach (var (x, y) in batches) yield return (x.clone(), y.clone());
            }
            finally
            {
                Interlocked.Decrement(ref Open);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [TestCase("train_batch_begin", 1, null)]
    [TestCase("train_batch_end", 1, null)]
    [TestCase("train_batch_end", 1, 2)]
    [TestCase("test_batch_end", 0, null)]
    [TestCase("epoch_end", 0, 3)]
    public void Fit_CallbackThrows_ModelLeftInInferenceMode_AndDataClosed(string hook, int at, int? stepsPerEpoch)
    {
        var model = new SequentialModel(new Dense(4, inputShape: [2]), new Dropout(0.5), new Dense(2));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        var train = new CountingSource(Batches(3));
        var validation = new CountingSource(Batches(2));
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(train, epochs: 2, stepsPerEpoch: stepsPerEpoch,
            validationData: validation, verbose: 0, callbacks: [new ThrowAt(hook, at)]))!;
        Assert.That(e.Message, Is.EqualTo($"callback failed in {hook} {at}"));
        Assert.That(model.training, Is.False, "Dropout must not stay active after Fit");
        Assert.That((train.Open, validation.Open), Is.EqualTo((0, 0)), "every enumeration of the data is disposed");
        var x = ModelTestData.Blobs(8).x;
        Assert.That(model.forward(x).data<float>().ToArray(), Is.EqualTo(model.forward(x).data<float>().ToArray()));
    }
}
