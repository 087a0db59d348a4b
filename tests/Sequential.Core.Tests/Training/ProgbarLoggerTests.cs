using Sequential.Callbacks;
using Sequential.Training;

namespace Sequential.Core.Tests.Training;

/// <summary>Keras 3's progress-line format (src/Sequential.Core/Callbacks/ProgbarLogger.cs).</summary>
public class ProgbarLoggerTests
{
    private static readonly Dictionary<string, double> Logs = new()
    {
        ["val_loss"] = 2.0,
        ["loss"] = 1.23456,
        ["val_accuracy"] = 0.25,
        ["accuracy"] = 0.5,
    };

    private static (ProgbarLogger logger, StringWriter output) Started(int verbose, int? steps, int seen, int epochs = 3)
    {
        var output = new StringWriter();
        var logger = new ProgbarLogger(verbose, ProgressTarget.Train, output);
        logger.SetParams(new Dictionary<string, object?> { ["epochs"] = epochs, ["steps"] = steps, ["verbose"] = verbose });
        logger.OnEpochBegin(0, new Dictionary<string, double>());
        for (int b = 0; b < seen; b++) logger.OnTrainBatchEnd(b, Logs);
        return (logger, output);
    }

    [Test]
    public void Verbose2_Line_TrainKeysSortedThenValKeys()
    {
        var (logger, _) = Started(verbose: 2, steps: 10, seen: 10);
        Assert.That(logger.Line(Logs, final: true), Does.Match(
            @"^10/10 - \d+s - \d+(us|ms|s)/step - accuracy: 0\.5000 - loss: 1\.2346 - val_accuracy: 0\.2500 - val_loss: 2\.0000$"));
    }

    [Test]
    public void Verbose2_PrintsEpochHeaderAndOneLinePerEpoch()
    {
        var (logger, output) = Started(verbose: 2, steps: 4, seen: 4);
        logger.OnEpochEnd(0, Logs);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo("Epoch 1/3"));
        Assert.That(lines[1], Does.StartWith("4/4 - ").And.EndWith(" - val_loss: 2.0000"));
    }

    [Test]
    public void OneEpochPrintsNoEpochHeader()
    {
        // Keras 3's ProgbarLogger.on_epoch_begin: "Epoch i/n" only when epochs > 1.
        var (logger, output) = Started(verbose: 2, steps: 4, seen: 4, epochs: 1);
        logger.OnEpochEnd(0, Logs);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), output.ToString());
        Assert.That(lines[0], Does.StartWith("4/4 - "));
    }

    [Test]
    public void UnknownStepsEndAsCompleteAndLaterEpochsUseThatCount()
    {
        // Keras's _finalize_progbar sets the target to the steps seen: "3/3", then a bar against 3 in the next epoch.
        var (logger, output) = Started(verbose: 1, steps: null, seen: 3);
        logger.OnEpochEnd(0, Logs);
        Assert.That(output.ToString(), Does.Contain("\r3/3 ━━━━━━━━━━━━━━━━━━━━ "));
        logger.OnEpochBegin(1, new Dictionary<string, double>());
        logger.OnTrainBatchEnd(0, Logs);
        Assert.That(logger.Line(new Dictionary<string, double>(), final: false), Does.Match(@"^1/3 ━{6}─{14} \d+s "), "int(20 * 1/3) = 6 filled, as Keras");
    }

    [Test]
    public void Verbose1_Line_HasBarFilledInProportion()
    {
        var (logger, _) = Started(verbose: 1, steps: 10, seen: 5);
        string line = logger.Line(new Dictionary<string, double> { ["loss"] = 0.5 }, final: false);
        // count padded to the width of the total, as Keras does: " 5/10"
        Assert.That(line, Does.Match(@"^ 5/10 ━{10}─{10} \d+s \d+(us|ms|s)/step - loss: 0\.5000$"));
    }

    [Test]
    public void UnknownSteps_ShowsUnknown()
    {
        var (logger, _) = Started(verbose: 2, steps: null, seen: 7);
        Assert.That(logger.Line(new Dictionary<string, double>(), final: true), Does.StartWith("7/Unknown - "));
    }

    [Test]
    public void SmallValues_UseScientificNotation()
    {
        var (logger, _) = Started(verbose: 2, steps: 1, seen: 1);
        string line = logger.Line(new Dictionary<string, double> { ["loss"] = 0.00012345, ["mae"] = 0 }, final: true);
        Assert.That(line, Does.EndWith(" - loss: 1.2345e-04 - mae: 0.0000"));
    }
}
