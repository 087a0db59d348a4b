using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Models;

public class SequentialModelTests
{
    // Keras 3's model.summary() for the beginner tutorial's MLP (tensorflow.org/tutorials/quickstart/beginner),
    // character for character: 33/24/15-wide columns, thousands separators, 1024-based sizes of float32 weights.
    private const string TutorialSummary =
        "Model: \"sequential\"\n" +
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n" +
        "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n" +
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n" +
        "│ flatten (Flatten)               │ (None, 784)            │             0 │\n" +
        "├─────────────────────────────────┼────────────────────────┼───────────────┤\n" +
        "│ dense (Dense)                   │ (None, 128)            │       100,480 │\n" +
        "├─────────────────────────────────┼────────────────────────┼───────────────┤\n" +
        "│ dropout (Dropout)               │ (None, 128)            │             0 │\n" +
        "├─────────────────────────────────┼────────────────────────┼───────────────┤\n" +
        "│ dense_1 (Dense)                 │ (None, 10)             │         1,290 │\n" +
        "└─────────────────────────────────┴────────────────────────┴───────────────┘\n" +
        " Total params: 101,770 (397.54 KB)\n" +
        " Trainable params: 101,770 (397.54 KB)\n" +
        " Non-trainable params: 0 (0.00 B)\n";

    [Test]
    public void Summary_TutorialMlp_IsKerasTable()
    {
        var model = ModelTestData.TutorialMlp();
        Assert.That(model.Summary(), Is.EqualTo(TutorialSummary));
    }

    [Test]
    public void Summary_TutorialMlp_RowsAndFooter()
    {
        // The same facts as the full table, row by row, so a failure says which row is wrong.
        string[] lines = ModelTestData.TutorialMlp().Summary().Split('\n');
        string Row(string start) => string.Join(" ", lines.Single(l => l.StartsWith("│ " + start, StringComparison.Ordinal))
            .Split(['│', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Multiple(() =>
        {
            Assert.That(Row("flatten "), Is.EqualTo("flatten (Flatten) (None, 784) 0"));
            Assert.That(Row("dense "), Is.EqualTo("dense (Dense) (None, 128) 100,480"));
            Assert.That(Row("dropout "), Is.EqualTo("dropout (Dropout) (None, 128) 0"));
            Assert.That(Row("dense_1 "), Is.EqualTo("dense_1 (Dense) (None, 10) 1,290"));
            Assert.That(lines, Does.Contain(" Total params: 101,770 (397.54 KB)"));
        });
    }

    [Test]
    public void Summary_Unbuilt_ShowsQuestionMarkAndUnbuilt()
    {
        var model = new SequentialModel(new Dense(4), new Dense(2));
        Assert.That(model.Built, Is.False);
        string summary = model.Summary();
        Assert.That(summary, Does.Contain("│ dense (Dense)                   │ ?                      │   0 (unbuilt) │"));
        Assert.That(summary, Does.Contain("│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │"));
        Assert.That(summary, Does.Contain(" Total params: 0 (0.00 B)"));
    }

    [Test]
    public void Build_FromFirstBatchShape_CountsParams()
    {
        var model = new SequentialModel(new Dense(4), new Dense(2));
        model.Build([3]);
        Assert.That(model.Built, Is.True);
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 2 }));
        // (3*4 + 4) + (4*2 + 2) = 26
        Assert.That(model.parameters().Sum(p => p.numel()), Is.EqualTo(26));
        Assert.That(model.Summary(), Does.Contain(" Total params: 26 (104.00 B)"));
    }

    [Test]
    public void AddAndPop_ChangeLayersAndParams()
    {
        var model = ModelTestData.TutorialMlp();
        Assert.That(model.parameters().Sum(p => p.numel()), Is.EqualTo(101_770));

        var softmax = new Activation("softmax");
        model.Add(softmax);
        Assert.That(model.Layers, Has.Count.EqualTo(5));
        Assert.That(model.Layers[^1], Is.SameAs(softmax));
        Assert.That(softmax.Built, Is.True, "a layer added to a built model is built at once");
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 10 }));

        Assert.That(model.Pop(), Is.SameAs(softmax));
        var last = model.Pop();
        Assert.That(last.Name, Is.EqualTo("dense_1"));
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "flatten", "dense", "dropout" }));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 128 }));
        // The popped Dense(10) no longer counts: 101,770 - 1,290.
        Assert.That(model.parameters().Sum(p => p.numel()), Is.EqualTo(100_480));
        Assert.That(model.Summary(), Does.Contain(" Total params: 100,480 (392.50 KB)"));

        model.Add(new Dense(3));
        Assert.That(model.Layers[^1].Name, Is.EqualTo("dense_1"), "the freed name is reused, as Keras's unique naming would");
        Assert.That(model.parameters().Sum(p => p.numel()), Is.EqualTo(100_480 + 128 * 3 + 3));
        using var y = model.call(zeros(2, 28, 28));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void Pop_Empty_Throws()
    {
        var model = new SequentialModel();
        var e = Assert.Throws<InvalidOperationException>(() => model.Pop());
        Assert.That(e!.Message, Does.Contain("no layers").And.Contain("sequential"));
    }

    [Test]
    public void Pop_LastLayer_UnbuildsModel()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [3]));
        Assert.That(model.Built, Is.True);
        model.Pop();
        Assert.That(model.Built, Is.False);
        Assert.That(model.Layers, Is.Empty);
        Assert.That(model.parameters().Count(), Is.EqualTo(0));
    }

    [Test]
    public void Add_InputShapeOnLaterLayer_Throws()
    {
        var model = new SequentialModel(new Dense(4, inputShape: [3]));
        var e = Assert.Throws<ArgumentException>(() => model.Add(new Dense(2, inputShape: [4])));
        Assert.That(e!.Message, Does.Contain("Only the first layer may declare inputShape").And.Contain("is layer 2"));
    }

    [Test]
    public void Add_SameLayerTwice_Throws()
    {
        var dense = new Dense(4);
        var model = new SequentialModel(dense);
        var e = Assert.Throws<ArgumentException>(() => model.Add(dense));
        Assert.That(e!.Message, Does.Contain("already in model"));
    }

    [Test]
    public void Add_DuplicateGivenName_Throws()
    {
        var model = new SequentialModel(new Dense(4, name: "hidden"));
        var e = Assert.Throws<ArgumentException>(() => model.Add(new Dense(2, name: "hidden")));
        Assert.That(e!.Message, Does.Contain("unique names").And.Contain("\"hidden\""));
    }

    [Test]
    public void Build_ThatFailsAtALaterLayer_LeavesTheEarlierLayersUnbuilt()
    {
        // The BatchNormalization axis fits no input of rank 1: Build fails after Dense was built.
        var model = new SequentialModel(new Dense(4), new BatchNormalization(axis: 5));

        Assert.Throws<ArgumentException>(() => model.Build([3]));

        Assert.That(model.Built, Is.False);
        Assert.That(model.Layers[0].Built, Is.False);
        Assert.That(model.Layers[0].Weights, Is.Empty);
        model.Pop();
        model.Build([7]); // not held to the failed build's input shape
        Assert.That(model.Layers[0].Weights[0].shape, Is.EqualTo(new long[] { 4, 7 }));
    }

    [Test]
    public void Build_WithoutLayers_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new SequentialModel().Build([3]));
        Assert.That(e!.Message, Does.Contain("has no layers"));
    }

    [Test]
    public void MemorySize_UsesKerasUnits()
    {
        Assert.That(SummaryTable.MemorySize(0), Is.EqualTo("0.00 B"));
        Assert.That(SummaryTable.MemorySize(1023), Is.EqualTo("1023.00 B"));
        Assert.That(SummaryTable.MemorySize(1024), Is.EqualTo("1.00 KB"));
        Assert.That(SummaryTable.MemorySize(101_770 * 4), Is.EqualTo("397.54 KB"));
        Assert.That(SummaryTable.MemorySize(3L * 1024 * 1024), Is.EqualTo("3.00 MB"));
    }
}
