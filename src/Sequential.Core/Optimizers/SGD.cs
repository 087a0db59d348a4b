using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>Stochastic gradient descent with optional momentum and Nesterov momentum (Keras's <c>SGD</c> and its update rule).</summary>
/// <remarks>
/// Without momentum: <c>w -= lr·g</c>. With momentum: <c>m = momentum·m - lr·g</c>, then <c>w += m</c>, or with Nesterov
/// <c>w += momentum·m - lr·g</c>. Keras keeps the learning rate inside the velocity (PyTorch multiplies it in
/// afterwards), so the two differ from the step after a learning-rate change.
/// </remarks>
/// <example><code>model.Compile(optimizer: new SGD(learningRate: 0.01, momentum: 0.9, nesterov: true), ...);</code></example>
public sealed class SGD : Optimizer
{
    private IReadOnlyList<Tensor> _momentums = [];

    /// <summary>Creates SGD with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.01) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="momentum">Momentum factor in [0, 1) (default 0).</param>
    /// <param name="nesterov">Use Nesterov momentum; with momentum 0 the update is plain SGD, as in Keras.</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c>: decoupled, each step shrinks every variable by
    /// <c>variable * weightDecay * learningRate</c> (default 0). PyTorch's SGD adds an L2 term to the gradient instead.</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public SGD(LearningRateSchedule? learningRate = null, double momentum = 0.0, bool nesterov = false, double weightDecay = 0.0,
        double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("sgd", learningRate ?? 0.01, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        CheckDecay(momentum, nameof(momentum), "SGD", 0.9);
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables) =>
        _momentums = Momentum != 0 ? AddVariables("momentum") : [];

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        if (Momentum == 0)
        {
            variable.add_(gradient, -learningRate);
            return;
        }
        var m = _momentums[index];
        m.mul_(Momentum).add_(gradient, -learningRate);
        if (Nesterov) variable.add_(m, Momentum).add_(gradient, -learningRate);
        else variable.add_(m);
    }
}
