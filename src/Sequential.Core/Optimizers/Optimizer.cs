using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Base class of optimizers (Keras's <c>keras.optimizers.Optimizer</c>), with Keras's argument names and
/// default values, backed by TorchSharp's implementation of the same algorithm.
/// </summary>
/// <remarks>
/// An optimizer is bound to a model's parameters by <c>Compile</c>/<c>Fit</c>; setting
/// <see cref="LearningRate"/> afterwards takes effect on the next step (this is how learning-rate
/// callbacks work).
/// </remarks>
public abstract partial class Optimizer
{
    private double _learningRate;
    private torch.optim.Optimizer? _bound;

    /// <summary>Creates an optimizer.</summary>
    /// <param name="name">The Keras name, e.g. <c>adam</c>.</param>
    /// <param name="learningRate">The learning rate.</param>
    protected Optimizer(string name, double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"The learning rate of {name} must be a positive finite number; got {learningRate}.");
        Name = name;
        _learningRate = learningRate;
    }

    /// <summary>The Keras name, e.g. <c>adam</c>.</summary>
    public string Name { get; }

    /// <summary>The current learning rate; changes apply from the next step.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive finite number.");
            _learningRate = value;
            if (_bound is not null)
                foreach (var group in _bound.ParamGroups) group.LearningRate = value;
        }
    }

    /// <summary>Number of steps taken since the optimizer was bound (Keras's <c>iterations</c>).</summary>
    public long Iterations { get; private set; }

    /// <summary>The TorchSharp optimizer, once bound to parameters.</summary>
    internal torch.optim.Optimizer? Bound => _bound;

    /// <summary>Binds the optimizer to parameters (done by the model; rebinding replaces the state).</summary>
    /// <param name="parameters">The trainable parameters.</param>
    internal void Bind(IEnumerable<Parameter> parameters)
    {
        _bound?.Dispose();
        _bound = Create(parameters.ToList(), _learningRate);
        Iterations = 0;
    }

    /// <summary>Clears gradients before a backward pass.</summary>
    internal void ZeroGrad() => _bound!.zero_grad();

    /// <summary>Applies one update from the current gradients.</summary>
    internal void Step()
    {
        _bound!.step();
        Iterations++;
    }

    /// <summary>Creates the TorchSharp optimizer for this algorithm.</summary>
    /// <param name="parameters">Parameters to optimise.</param>
    /// <param name="learningRate">The current learning rate.</param>
    /// <returns>The TorchSharp optimizer.</returns>
    protected abstract torch.optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate);

    /// <summary>Lets a Keras name stand for an optimizer: <c>Compile(optimizer: "adam", ...)</c>.</summary>
    /// <param name="name">A name accepted by <see cref="Optimizers.Get"/>.</param>
    public static implicit operator Optimizer(string name) => Optimizers.Get(name);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}(learningRate: {LearningRate})";
}
