namespace Sequential.Optimizers;

/// <summary>A number given where a schedule is accepted; the optimizer unwraps it into a plain (settable) learning rate.</summary>
/// <param name="value">The learning rate.</param>
internal sealed class ConstantLearningRate(double value) : LearningRateSchedule
{
    /// <summary>The learning rate.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public override double Call(long step) => Value;
}
