using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// The small Xception of examples/ImageClassificationFromScratch (SmallXception.MakeModel, 2 classes) as a subclassed
/// model: the same layers, called by hand in <see cref="Call"/>, eagerly, with no graph. Timed against the functional
/// model, it leaves what the graph itself adds per step; it cannot be a SequentialModel because of the residual Adds.
/// </summary>
internal sealed class XceptionByHand : Model
{
    private static readonly int[] Sizes = [128, 256, 512, 728];

    private readonly RandomFlip _flip = new("horizontal");
    private readonly RandomRotation _rotation = new(0.1);
    private readonly Rescaling _rescaling = new(1.0 / 255);
    private readonly Conv2D _entryConv1 = new(32, 3, strides: 2, padding: "same");
    private readonly BatchNormalization _entryNorm1 = new();
    private readonly Activation _entryRelu1 = new("relu");
    private readonly Conv2D _entryConv2 = new(64, 3, padding: "same");
    private readonly BatchNormalization _entryNorm2 = new();
    private readonly Activation _entryRelu2 = new("relu");

    // One element per residual block, in the order of Sizes.
    private readonly Activation[] _relu1 = [.. Sizes.Select(_ => new Activation("relu"))];
    private readonly SeparableConv2D[] _separable1 = [.. Sizes.Select(size => new SeparableConv2D(size, 3, padding: "same"))];
    private readonly BatchNormalization[] _norm1 = [.. Sizes.Select(_ => new BatchNormalization())];
    private readonly Activation[] _relu2 = [.. Sizes.Select(_ => new Activation("relu"))];
    private readonly SeparableConv2D[] _separable2 = [.. Sizes.Select(size => new SeparableConv2D(size, 3, padding: "same"))];
    private readonly BatchNormalization[] _norm2 = [.. Sizes.Select(_ => new BatchNormalization())];
    private readonly MaxPooling2D[] _pool = [.. Sizes.Select(_ => new MaxPooling2D((3, 3), strides: (2, 2), padding: "same"))];
    private readonly Conv2D[] _project = [.. Sizes.Select(size => new Conv2D(size, 1, strides: 2, padding: "same"))];
    private readonly Add[] _add = [.. Sizes.Select(_ => new Add())];

    private readonly SeparableConv2D _exitSeparable = new(1024, 3, padding: "same");
    private readonly BatchNormalization _exitNorm = new();
    private readonly Activation _exitRelu = new("relu");
    private readonly GlobalAveragePooling2D _pooling = new();
    private readonly Dropout _dropout = new(0.5);
    private readonly Dense _output = new(1, activation: "sigmoid");

    private XceptionByHand() : base("xception_by_hand") { }

    /// <summary>The model with its weights created for a per-sample input shape (a subclass builds on a first call).</summary>
    public static XceptionByHand Create(long[] inputShape)
    {
        var model = new XceptionByHand();
        model.Build(inputShape);
        return model;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        x = _rotation.Apply(_flip.Apply(x, training), training);
        x = _rescaling.Apply(x, training);
        x = _entryRelu1.Apply(_entryNorm1.Apply(_entryConv1.Apply(x, training), training), training);
        x = _entryRelu2.Apply(_entryNorm2.Apply(_entryConv2.Apply(x, training), training), training);
        var previousBlockActivation = x;
        for (int i = 0; i < Sizes.Length; i++)
        {
            x = _norm1[i].Apply(_separable1[i].Apply(_relu1[i].Apply(x, training), training), training);
            x = _norm2[i].Apply(_separable2[i].Apply(_relu2[i].Apply(x, training), training), training);
            x = _pool[i].Apply(x, training);
            var residual = _project[i].Apply(previousBlockActivation, training);
            x = _add[i].Apply([x, residual], training);
            previousBlockActivation = x;
        }
        x = _exitRelu.Apply(_exitNorm.Apply(_exitSeparable.Apply(x, training), training), training);
        x = _dropout.Apply(_pooling.Apply(x, training), training);
        return _output.Apply(x, training);
    }
}
