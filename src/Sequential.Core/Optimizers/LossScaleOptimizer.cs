using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Dynamic loss scaling for float16 training (Keras's <c>keras.optimizers.LossScaleOptimizer</c>): the training step
/// differentiates the loss times a scale (<see cref="ScaleLoss"/>) so that small float16 gradients do not underflow;
/// <see cref="Apply"/> divides the gradients by the scale and, when they are all finite, lets the inner optimizer take
/// the step and counts it, doubling the scale after <see cref="DynamicGrowthSteps"/> finite steps in a row; when any is
/// infinite or NaN it skips the step and halves the scale.
/// </summary>
/// <remarks>Needed with the <c>"mixed_float16"</c> policy; <c>"mixed_bfloat16"</c> has float32's range and needs none.
/// Each step reads one boolean from the device (all gradients finite), as Keras's does. Not saved in model files yet:
/// <see cref="GetConfig"/> says so.</remarks>
/// <example>
/// <code>
/// MixedPrecision.SetGlobalPolicy("mixed_float16");
/// model.Compile(optimizer: new LossScaleOptimizer(new Adam()), loss: "sparse_categorical_crossentropy");
/// </code>
/// </example>
public sealed class LossScaleOptimizer : Optimizer
{
    private long _stepCounter;

    /// <summary>Wraps <paramref name="innerOptimizer"/>.</summary>
    /// <param name="innerOptimizer">The optimizer that takes the steps.</param>
    /// <param name="initialScale">The first scale (Keras: 2**15).</param>
    /// <param name="dynamicGrowthSteps">Finite steps in a row after which the scale doubles (Keras: 2000).</param>
    /// <exception cref="ArgumentException">A scale that is not positive and finite, or growth steps below 1.</exception>
    public LossScaleOptimizer(Optimizer innerOptimizer, double initialScale = 32768.0, int dynamicGrowthSteps = 2000)
        : base("loss_scale_optimizer", 1.0)
    {
        ArgumentNullException.ThrowIfNull(innerOptimizer);
        if (!(initialScale > 0) || double.IsInfinity(initialScale))
            throw new ArgumentException($"initialScale must be a positive finite number; got {initialScale}.", nameof(initialScale));
        if (dynamicGrowthSteps < 1)
            throw new ArgumentException($"dynamicGrowthSteps must be at least 1; got {dynamicGrowthSteps}.", nameof(dynamicGrowthSteps));
        if (innerOptimizer is LossScaleOptimizer)
            throw new ArgumentException("The inner optimizer is already a LossScaleOptimizer; wrap the optimizer itself once.", nameof(innerOptimizer));
        InnerOptimizer = innerOptimizer;
        InitialScale = initialScale;
        DynamicGrowthSteps = dynamicGrowthSteps;
        DynamicScale = initialScale;
    }

    /// <summary>The optimizer that takes the steps.</summary>
    public Optimizer InnerOptimizer { get; }

    /// <summary>The scale the loss started with.</summary>
    public double InitialScale { get; }

    /// <summary>Finite steps in a row after which the scale doubles.</summary>
    public int DynamicGrowthSteps { get; }

    /// <summary>The current scale (Keras's <c>dynamic_scale</c>).</summary>
    public double DynamicScale { get; private set; }

    /// <summary>The inner optimizer's learning rate.</summary>
    public override double LearningRate
    {
        get => InnerOptimizer.LearningRate;
        set => InnerOptimizer.LearningRate = value;
    }

    /// <summary>The inner optimizer's updates (skipped steps do not count).</summary>
    public override long Iterations => InnerOptimizer.Iterations;

    /// <summary>The loss times <see cref="DynamicScale"/>.</summary>
    /// <param name="loss">The batch's loss.</param>
    /// <returns>The scaled loss.</returns>
    public override Tensor ScaleLoss(Tensor loss) => loss * DynamicScale;

    /// <summary>Unscales the gradients and steps the inner optimizer when they are all finite; otherwise skips the step
    /// and halves the scale (Keras's <c>LossScaleOptimizer.apply</c>).</summary>
    /// <param name="gradients">Gradients of the scaled loss, one (or null) per variable.</param>
    /// <param name="variables">The variables.</param>
    public override void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Parameter> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var present = gradients.OfType<Tensor>().ToList();
        bool finite = present.Count == 0 || stack(present.Select(g => isfinite(g).all())).all().item<bool>();
        if (!finite)
        {
            _stepCounter = 0;
            DynamicScale *= 0.5;
            return;
        }
        InnerOptimizer.Apply([.. gradients.Select(g => g is null ? null : g / DynamicScale)], variables);
        if (_stepCounter == DynamicGrowthSteps - 1)
        {
            _stepCounter = 0;
            DynamicScale *= 2.0;
        }
        else _stepCounter++;
    }

    /// <inheritdoc/>
    public override void FinalizeVariableValues(IReadOnlyList<Parameter> variables) => InnerOptimizer.FinalizeVariableValues(variables);

    /// <summary>Binds the inner optimizer to the same variables.</summary>
    /// <param name="variables">The variables.</param>
    protected override void Build(IReadOnlyList<Parameter> variables) => InnerOptimizer.Bind(variables);

    /// <summary>Not used: <see cref="Apply"/> hands each step to the inner optimizer.</summary>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate) =>
        throw new InvalidOperationException("LossScaleOptimizer hands its steps to the inner optimizer.");

    /// <summary>Not supported yet.</summary>
    /// <exception cref="InvalidOperationException">Always: a model compiled with a LossScaleOptimizer cannot be saved
    /// whole yet; the message says what to do.</exception>
    public override IReadOnlyDictionary<string, object?> GetConfig() => throw new InvalidOperationException(
        "A LossScaleOptimizer cannot be saved in a model file yet. Save the weights (SaveWeights), or compile with the inner optimizer " +
        "before Save.");
}
