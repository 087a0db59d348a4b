using Microsoft.Data.Analysis;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Models;


public class ModelDataFrameTests
{
    /// <summary>a, b, c numeric and target = 1 when a + b > 0: learnable by one Dense unit.</summary>
    private static DataFrame Separable(int rows, int seed = 0)
    {
        var random = new Random(seed);
        var a = new DoubleDataFrameColumn("a", rows);
        var b = new SingleDataFrameColumn("b", rows);
        var c = new Int32DataFrameColumn("c", rows);
        var target = new Int32DataFrameColumn("target", rows);
        for (int i = 0; i < rows; i++)
        {
            a[i] = random.NextDouble() * 4 - 2;
            b[i] = (float)(random.NextDouble() * 4 - 2);
            c[i] = random.Next(3);
            target[i] = a[i] + b[i] > 0 ? 1 : 0;
        }
        return new DataFrame(a, b, target, c); // label in the middle: "all but the label" must skip it
    }

    private static SequentialModel BinaryModel()
    {
        RandomSeed.Set(1);
        var model = new SequentialModel(new Dense(1, activation: "sigmoid"));
        model.Compile(optimizer: new Sequential.Optimizers.Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    [Test]
    public void Fit_DoubleThatOverflowsFloat32_ThrowsNamingTheRow()
    {
        // 1e39 is a finite double but +Inf as float32: training on it would turn every weight into NaN.
        var frame = Separable(10);
        ((DoubleDataFrameColumn)frame.Columns["a"])[6] = 1e39;
        var model = BinaryModel();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(frame, labelColumn: "target", epochs: 1, verbose: 0))!;
        Assert.That(e.Message, Does.Contain("contains 1 infinite value (the first in sample 6)"));
    }

    [Test]
    public void Fit_DefaultFeatures_AreEveryColumnButTheLabel_InFrameOrder()
    {
        var model = BinaryModel();
        model.Fit(Separable(64), labelColumn: "target", epochs: 1, verbose: 0);
        Assert.That(model.FeatureColumns, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(model.BuiltInputShape, Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void Fit_ExplicitFeatureColumns_SetInputWidthAndOrder()
    {
        var model = BinaryModel();
        model.Fit(Separable(64), labelColumn: "target", featureColumns: ["b", "a"], epochs: 1, verbose: 0);
        Assert.That(model.FeatureColumns, Is.EqualTo(new[] { "b", "a" }));
        Assert.That(model.BuiltInputShape, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void FitThenEvaluate_LearnsTheSeparableRule()
    {
        var model = BinaryModel();
        var history = model.Fit(Separable(400), labelColumn: "target", featureColumns: ["a", "b"], epochs: 30, batchSize: 32,
            validationSplit: 0.25, verbose: 0);
        Assert.That(history["val_accuracy"], Has.Count.EqualTo(30));
        var scores = model.Evaluate(Separable(200, seed: 7), labelColumn: "target", verbose: 0);
        Assert.That(scores.Keys, Is.EquivalentTo(new[] { "loss", "accuracy" }));
        Assert.That(scores["accuracy"], Is.GreaterThan(0.93));
    }

    [Test]
    public void Fit_ValidationDataFrame_GivesValidationCurves()
    {
        var model = BinaryModel();
        var history = model.Fit(Separable(64), "target", featureColumns: ["a", "b"], epochs: 2, verbose: 0,
            validationData: Separable(32, seed: 3));
        Assert.That(history["val_loss"], Has.Count.EqualTo(2));
    }

    [Test]
    public void Predict_OneOutput_AddsOnePredictionColumn_AndKeepsEveryInputColumn()
    {
        var model = BinaryModel();
        var train = Separable(64);
        model.Fit(train, "target", featureColumns: ["a", "b"], epochs: 1, verbose: 0);
        var test = Separable(10, seed: 5);
        var predictions = model.Predict(test, verbose: 0); // test still holds target and c: the fitted columns are used
        Assert.That(predictions.Columns.Select(c => c.Name), Is.EqualTo(new[] { "a", "b", "target", "c", "prediction" }));
        Assert.That(predictions.Rows.Count, Is.EqualTo(10));
        Assert.That(predictions.Columns["prediction"].DataType, Is.EqualTo(typeof(float)));
        using var x = test.ToTensor(["a", "b"]);
        using var expected = model.Predict(x, verbose: 0);
        Assert.That((float)predictions.Columns["prediction"][3]!, Is.EqualTo(expected[3, 0].item<float>()).Within(1e-6));
        Assert.That(test.Columns.Count, Is.EqualTo(4), "the input frame is not changed");
    }

    [Test]
    public void Predict_SeveralOutputs_NamesColumnsWithIndex()
    {
        RandomSeed.Set(2);
        var model = new SequentialModel(new Dense(3, activation: "softmax"));
        var frame = Separable(8);
        var predictions = model.Predict(frame, featureColumns: ["a", "b"], verbose: 0);
        Assert.That(predictions.Columns.Select(c => c.Name).Skip(4), Is.EqualTo(new[] { "prediction_0", "prediction_1", "prediction_2" }));
        var named = model.Predict(frame, featureColumns: ["a", "b"], predictionColumn: "p", verbose: 0);
        Assert.That(named.Columns.Select(c => c.Name).Skip(4), Is.EqualTo(new[] { "p_0", "p_1", "p_2" }));
        float rowSum = (float)predictions["prediction_0"][0]! + (float)predictions["prediction_1"][0]! + (float)predictions["prediction_2"][0]!;
        Assert.That(rowSum, Is.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void Predict_ColumnNameTaken_Throws()
    {
        var model = new SequentialModel(new Dense(1));
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(Separable(4), featureColumns: ["a"], predictionColumn: "b", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("\"b\"").And.Contain("predictionColumn"));
    }

    [Test]
    public void StringFeatureColumn_IsRejected_NamingColumnAndStringLookup()
    {
        var frame = Separable(4);
        frame.Columns.Add(new StringDataFrameColumn("city", ["a", "b", "a", "c"]));
        var model = BinaryModel();
        var ex = Assert.Throws<ArgumentException>(() => model.Fit(frame, "target", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("\"city\"").And.Contain("StringLookup").And.Contain("CategoryEncoding"));
    }

    [Test]
    public void StringLabelColumn_IsRejected()
    {
        var frame = new DataFrame(new DoubleDataFrameColumn("x", [1.0, 2.0]), new StringDataFrameColumn("label", ["yes", "no"]));
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(frame, "label", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("\"label\"").And.Contain("StringLookup"));
    }

    [Test]
    public void Nulls_AreRejected_WithColumnAndCount()
    {
        var frame = Separable(6);
        frame["a"][1] = null;
        frame["a"][4] = null;
        frame["target"][2] = null;
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(frame, "target", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("column \"a\" has 2 null values").And.Contain("column \"target\" has 1 null value")
            .And.Contain("NullHandling.Drop"));
    }

    [Test]
    public void Nulls_Drop_LeavesThoseRowsOut()
    {
        var frame = Separable(6);
        frame["a"][1] = null;
        frame["target"][2] = null;
        frame["c"][5] = null; // c is not read below: its null must not drop row 5
        using var x = frame.ToTensor(["a", "b"], NullHandling.Drop);
        Assert.That(x.shape, Is.EqualTo(new long[] { 5, 2 }));
        var model = BinaryModel();
        model.Fit(frame, "target", featureColumns: ["a", "b"], epochs: 1, verbose: 0, nullHandling: NullHandling.Drop);
        var predictions = model.Predict(frame, nullHandling: NullHandling.Drop, verbose: 0);
        Assert.That(predictions.Rows.Count, Is.EqualTo(5));
    }

    [Test]
    public void MissingLabelColumn_ListsTheAvailableColumns()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(Separable(4), "label", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("no column \"label\"").And.Contain("\"a\", \"b\", \"target\", \"c\""));
    }

    [Test]
    public void MissingFeatureColumn_ListsTheAvailableColumns()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(Separable(4), "target", featureColumns: ["a", "z"], verbose: 0));
        Assert.That(ex!.Message, Does.Contain("no column \"z\"").And.Contain("\"a\", \"b\", \"target\", \"c\""));
    }

    [Test]
    public void LabelAmongFeatures_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(Separable(4), "target", featureColumns: ["a", "target"], verbose: 0));
        Assert.That(ex!.Message, Does.Contain("\"target\" is both a feature and a label"));
    }

    [Test]
    public void EmptyFrame_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(Separable(0), "target", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("empty"));
    }

    [Test]
    public void OnlyALabelColumn_IsRejected()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("target", [0, 1]));
        var ex = Assert.Throws<ArgumentException>(() => BinaryModel().Fit(frame, "target", verbose: 0));
        Assert.That(ex!.Message, Does.Contain("no feature columns"));
    }

    [Test]
    public void FitBeforeCompile_Throws()
    {
        var model = new SequentialModel(new Dense(1));
        Assert.Throws<InvalidOperationException>(() => model.Fit(Separable(4), "target", verbose: 0));
    }

    [Test]
    public void SeveralLabelColumns_GiveFloatTargetsPerColumn()
    {
        var frame = Separable(32);
        frame.Columns.Add(new DoubleDataFrameColumn("t2", Enumerable.Range(0, 32).Select(i => (double)(i % 2))));
        RandomSeed.Set(3);
        var model = new SequentialModel(new Dense(2, activation: "sigmoid"));
        model.Compile(optimizer: "adam", loss: "binary_crossentropy");
        model.Fit(frame, labelColumns: ["target", "t2"], epochs: 1, verbose: 0);
        Assert.That(model.FeatureColumns, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 2 }));
    }
}
