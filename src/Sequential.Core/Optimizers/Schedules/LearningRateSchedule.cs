using System.Text.Json.Nodes;
using Sequential.Persistence;

namespace Sequential.Optimizers;

/// <summary>
/// A learning rate that changes with the optimizer's step (Keras's <c>keras.optimizers.schedules.LearningRateSchedule</c>).
/// Every optimizer's <c>learningRate</c> takes a schedule or a number (a number converts implicitly); the optimizer
/// evaluates the schedule at its step count before each step, saves it with the model (class and configuration) and
/// continues it from the saved step after <c>Load</c> or a resumed <c>Fit</c>.
/// </summary>
/// <remarks>
/// A schedule of your own overrides <see cref="Call"/>; to be saved and loaded it needs the same things as a custom
/// optimizer (a public constructor whose parameters have same-named PascalCase properties) and
/// <see cref="ScheduleRegistry.Register{T}"/> before loading.
/// </remarks>
/// <example>
/// <code>
/// var schedule = new ExponentialDecay(initialLearningRate: 1e-2, decaySteps: 10000, decayRate: 0.9);
/// model.Compile(optimizer: new SGD(learningRate: schedule), loss: "mse");
/// </code>
/// </example>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at a step (Keras's <c>__call__</c>).</summary>
    /// <param name="step">The optimizer's step count (0 before the first step).</param>
    /// <returns>The learning rate.</returns>
    public abstract double Call(long step);

    /// <summary>The configuration saved in model files: each constructor argument by its Keras key.</summary>
    /// <returns>Configuration key -> value.</returns>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => ConfigReflection.GetConfig(this);

    /// <summary>Lets a number stand for a constant learning rate wherever a schedule is accepted:
    /// <c>new Adam(learningRate: 1e-3)</c>.</summary>
    /// <param name="learningRate">The learning rate.</param>
    public static implicit operator LearningRateSchedule(double learningRate) => new ConstantLearningRate(learningRate);

    /// <summary>Checks that a schedule's argument is a finite number (a file could hold anything).</summary>
    /// <param name="value">The value given.</param>
    /// <param name="argument">The argument's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    protected void CheckFinite(double value, string argument)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(argument, value, $"{GetType().Name} {argument} must be a finite number; got {value}.");
    }

    /// <summary>Checks that a schedule's step count is positive (Keras's "must be &gt; 0").</summary>
    /// <param name="value">The value given.</param>
    /// <param name="argument">The argument's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive finite number.</exception>
    protected void CheckPositive(double value, string argument)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(argument, value, $"{GetType().Name} {argument} must be > 0; got {value}.");
    }

    /// <summary>Keras's serialized form, <c>{"class_name": ..., "config": {...}}</c>.</summary>
    internal JsonObject ToJson() => new()
    {
        ["class_name"] = GetType().Name,
        ["config"] = new JsonObject(GetConfig().Select(kv => KeyValuePair.Create(kv.Key,
            System.Text.Json.JsonSerializer.SerializeToNode(ConfigReflection.ToElement(kv.Value))))),
    };
}
