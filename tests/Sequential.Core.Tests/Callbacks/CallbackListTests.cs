using System.Text.RegularExpressions;
using Sequential.Callbacks;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

/// Keras 3's CallbackList._add_default_callbacks: a History or ProgbarLogger in callbacks replaces the default one.
public class CallbackListTests
{
    /// Runs <paramref name="action"/> with Console.Out captured; returns what it printed.
    private static string Printed(Action action)
    {
        var previous = Console.Out;
        var text = new StringWriter();
        Console.SetOut(text);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(previous);
        }
        return text.ToString();
    }

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern, RegexOptions.Multiline).Count;

    [Test]
    public void UserHistoryGetsTheRecordsAndIsTheOneFitReturns()
    {
        using var model = Linear();
        var (x, y) = Line(8);
        var mine = new History();

        var returned = model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, shuffle: false, validationSplit: 0.5,
            callbacks: [mine]);

        Assert.That(returned, Is.SameAs(mine));
        Assert.That(mine.Epochs, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(mine.Keys, Is.EqualTo(new[] { "loss", "val_loss" }));
        Assert.That(mine["loss"], Has.Count.EqualTo(2));
    }

    [Test]
    public void UserHistoryReusedAcrossFitCallsKeepsAppending()
    {
        using var model = Linear();
        var (x, y) = Line(4);
        var mine = new History();
        model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, callbacks: [mine]);
        var second = model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0, callbacks: [mine]);
        Assert.That(second, Is.SameAs(mine));
        Assert.That(mine["loss"], Has.Count.EqualTo(3));
    }

    [Test]
    public void WithoutAUserHistoryFitStillReturnsAFreshOne()
    {
        using var model = Linear();
        var (x, y) = Line(4);
        var first = model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        var second = model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(second["loss"], Has.Count.EqualTo(1));
    }

    [TestCase(2)]
    [TestCase(1)]
    [TestCase(0)]
    public void UserProgbarLoggerReplacesTheDefaultOne(int fitVerbose)
    {
        using var model = Linear();
        var (x, y) = Line(8);

        string output = Printed(() => model.Fit(x, y, epochs: 2, batchSize: 4, shuffle: false, validationSplit: 0.5,
            verbose: fitVerbose, callbacks: [new ProgbarLogger(verbose: 2)]));

        // Exactly the user's logger, one line per epoch (verbose 2), and the validation pass inside Fit draws nothing.
        Assert.That(Count(output, "^Epoch 1/2"), Is.EqualTo(1), output);
        Assert.That(Count(output, "^Epoch 2/2"), Is.EqualTo(1), output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.That(lines, Has.Length.EqualTo(4), output);
        Assert.That(lines[1], Does.Match(@"^1/1 - \d+s - \d+(us|ms|s)/step - loss: \d+\.\d{4} - val_loss: \d+\.\d{4}$"));
    }

    [Test]
    public void UserProgbarLoggerShowsAnEvaluation()
    {
        using var model = Linear();
        var (x, y) = Line(8);

        string output = Printed(() => model.Evaluate(x, y, batchSize: 4, verbose: 0, callbacks: [new ProgbarLogger(verbose: 2)]));

        Assert.That(output.TrimEnd(), Does.Match(@"^2/2 - \d+s - \d+(us|ms|s)/step - loss: \d+\.\d{4}$"));
    }

    [Test]
    public void SilentUserProgbarLoggerPrintsNothing()
    {
        using var model = Linear();
        var (x, y) = Line(4);
        string output = Printed(() => model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 2, callbacks: [new ProgbarLogger(verbose: 0)]));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void ProgbarLoggerRejectsAnUnknownVerbosity()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ProgbarLogger(verbose: 3));
        Assert.That(error!.ParamName, Is.EqualTo("verbose"));
        Assert.That(error.Message, Does.StartWith("ProgbarLogger verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch); got 3."));
    }
}
