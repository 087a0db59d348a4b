using Sequential;
using Sequential.Layers;

namespace ImageClassificationFromScratch;

/// <summary>
/// The guide's <c>make_model</c>: the small Xception-like network, built with the functional API. Its data augmentation
/// runs inside the model ("Option 1" of the guide), active only in Fit. benchmarks/Sequential.Benchmarks compiles this
/// same file to time the graph against the same layers called by hand.
/// </summary>
internal static class SmallXception
{
    /// <summary>Keras's parameter count of the model at 180x180x3 with 2 classes (model.summary(): Total params).</summary>
    public const long KerasParamsAt180 = 2_782_649;

    /// <summary>Builds the model for a per-sample input shape [height, width, channels].</summary>
    public static Model MakeModel(long[] inputShape, int numClasses)
    {
        var inputs = new Input(shape: inputShape);
        SymbolicTensor x = new RandomFlip("horizontal").Apply(inputs);
        x = new RandomRotation(0.1).Apply(x);

        // Entry block
        x = new Rescaling(1.0 / 255).Apply(x);
        x = new Conv2D(32, 3, strides: 2, padding: "same").Apply(x);
        x = new BatchNormalization().Apply(x);
        x = new Activation("relu").Apply(x);

        x = new Conv2D(64, 3, padding: "same").Apply(x);
        x = new BatchNormalization().Apply(x);
        x = new Activation("relu").Apply(x);

        var previousBlockActivation = x;  // Set aside residual

        foreach (int size in new[] { 128, 256, 512, 728 })
        {
            x = new Activation("relu").Apply(x);
            x = new SeparableConv2D(size, 3, padding: "same").Apply(x);
            x = new BatchNormalization().Apply(x);

            x = new Activation("relu").Apply(x);
            x = new SeparableConv2D(size, 3, padding: "same").Apply(x);
            x = new BatchNormalization().Apply(x);

            x = new MaxPooling2D((3, 3), strides: (2, 2), padding: "same").Apply(x);

            // Project residual
            var residual = new Conv2D(size, 1, strides: 2, padding: "same").Apply(previousBlockActivation);
            x = new Add().Apply(x, residual);  // Add back residual
            previousBlockActivation = x;  // Set aside next residual
        }

        x = new SeparableConv2D(1024, 3, padding: "same").Apply(x);
        x = new BatchNormalization().Apply(x);
        x = new Activation("relu").Apply(x);

        x = new GlobalAveragePooling2D().Apply(x);
        var (activation, units) = numClasses == 2 ? ("sigmoid", 1) : ("softmax", numClasses);

        x = new Dropout(0.5).Apply(x);
        var outputs = new Dense(units, activation: activation).Apply(x);
        return new Model(inputs, outputs);
    }
}
