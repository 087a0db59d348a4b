// keras.io "Making new layers and models via subclassing" (Keras 3), line by line in C#:
//   https://keras.io/guides/making_new_layers_and_models_via_subclassing/
// The guide's Python lines are kept as comments next to the C# lines they became; its end-to-end VAE trains on the MNIST
// digits that ship with Sequential. Differences, and why:
//   - add_loss() is not part of Sequential's API yet. Its logic is ported with two small stand-ins defined below:
//     LayerWithLosses (a layer's Losses: what its last call added) and ModelWithLosses (a TrainStep that adds those
//     losses to the compiled loss, as Keras's compute_loss does, and logs the total as "loss").
//   - the kernel_regularizer example (OuterLayerWithKernelRegularizer): Sequential has no weight regularizers yet.
//   - the guide's Encoder returns a tuple (z_mean, z_log_var, z); a Sequential layer's Call returns one tensor, so the
//     Encoder's Call returns z and the tuple comes from its Encode method.
//   - the mask argument and the ResNet sketch (code the guide does not run) are left out.
// Usage: dotnet run --project examples/Subclassing [-- --epochs N] [--device cpu|cuda]
//   --epochs N  epochs of the VAE (the guide's 2; each is one pass over the 8,000 shipped training digits)
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;
using Mean = Sequential.Metrics.Mean;
using Parameter = TorchSharp.Modules.Parameter;

var options = Options.Parse(args);
RandomSeed.Set(1337);
var clock = System.Diagnostics.Stopwatch.StartNew();
static string Show(Tensor t) => t.detach().cpu().ToString(TorchSharp.TensorStringStyle.Numpy);

// ---- The Layer class: the combination of state (weights) and some computation ----
Console.WriteLine("## The Layer class");
// x = ops.ones((2, 2))
var x = ones(2, 2);
// linear_layer = Linear(4, 2)
var linearWithInputDim = new LinearWithInputDim(4, 2);
// y = linear_layer(x)
var y = linearWithInputDim.Apply(x);
// print(y)
Console.WriteLine(Show(y));
// assert linear_layer.weights == [linear_layer.w, linear_layer.b]
Console.WriteLine($"linear_layer.weights == [w, b]: {linearWithInputDim.Weights.SequenceEqual([linearWithInputDim.W, linearWithInputDim.B])}\n");

// ---- Layers can have non-trainable weights ----
Console.WriteLine("## Layers can have non-trainable weights");
// x = ops.ones((2, 2))
x = ones(2, 2);
// my_sum = ComputeSum(2)
var mySum = new ComputeSum(2);
// y = my_sum(x); print(y.numpy())
y = mySum.Apply(x);
Console.WriteLine(Show(y));
// y = my_sum(x); print(y.numpy())
y = mySum.Apply(x);
Console.WriteLine(Show(y));
// print("weights:", len(my_sum.weights))
Console.WriteLine($"weights: {mySum.Weights.Count}");
// print("non-trainable weights:", len(my_sum.non_trainable_weights))
Console.WriteLine($"non-trainable weights: {mySum.Weights.Count(w => !w.requires_grad)}");
// # It's not included in the trainable weights:
// print("trainable_weights:", my_sum.trainable_weights)
Console.WriteLine($"trainable_weights: [{string.Join(", ", mySum.Weights.Where(w => w.requires_grad).Select(w => w.name))}]\n");

// ---- Best practice: deferring weight creation until the shape of the inputs is known ----
Console.WriteLine("## Deferring weight creation until the shape of the inputs is known");
// # At instantiation, we don't know on what inputs this is going to get called
// linear_layer = Linear(32)
var linearLayer = new Linear(32);
Console.WriteLine($"before the first call: built {linearLayer.Built}, {linearLayer.Weights.Count} weights");
// # The layer's weights are created dynamically the first time the layer is called
// y = linear_layer(x)
y = linearLayer.Apply(x);
Console.WriteLine($"after it: built {linearLayer.Built}, weights {string.Join(" and ", linearLayer.Weights.Select(w => Shapes.Format(w.shape)))}, " +
                  $"output {Shapes.Format(y.shape)}\n");

// ---- Layers are recursively composable ----
Console.WriteLine("## Layers are recursively composable");
// mlp = MLPBlock()
var mlp = new MlpBlock();
// y = mlp(ops.ones(shape=(3, 64)))  # The first call to the `mlp` will create the weights
y = mlp.Apply(ones(3, 64));
// print("weights:", len(mlp.weights))
Console.WriteLine($"weights: {mlp.Weights.Count}");
// print("trainable weights:", len(mlp.trainable_weights))
Console.WriteLine($"trainable weights: {mlp.Weights.Count(w => w.requires_grad)}");
Console.WriteLine($"parameters: {mlp.CountParams():N0} (64*32+32 + 32*32+32 + 32*1+1 = {64 * 32 + 32 + 32 * 32 + 32 + 32 + 1:N0})\n");

// ---- The add_loss() method ----
Console.WriteLine("## The add_loss() method (ported with the LayerWithLosses/ModelWithLosses stand-ins)");
// layer = OuterLayer()
var outer = new OuterLayer();
// assert len(layer.losses) == 0  # No losses yet since the layer has never been called
Console.WriteLine($"losses before the first call: {outer.Losses.Count}");
// _ = layer(ops.zeros((1, 1)))
outer.Apply(zeros(1, 1));
// assert len(layer.losses) == 1  # We created one loss value
Console.WriteLine($"after one call: {outer.Losses.Count}");
// # `layer.losses` gets reset at the start of each __call__
// _ = layer(ops.zeros((1, 1)))
outer.Apply(zeros(1, 1));
// assert len(layer.losses) == 1  # This is the loss created during the call above
Console.WriteLine($"after a second call: {outer.Losses.Count}");

// inputs = keras.Input(shape=(3,))
var inputs = new Input(shape: [3]);
// outputs = ActivityRegularizationLayer()(inputs)
var outputs = new ActivityRegularizationLayer().Apply(inputs);
// model = keras.Model(inputs, outputs)
var model = new ModelWithLosses(inputs, outputs);
// # If there is a loss passed in `compile`, the regularization losses get added to it
// model.compile(optimizer="adam", loss="mse")
model.Compile(optimizer: "adam", loss: "mse", device: options.Device);
// model.fit(np.random.random((2, 3)), np.random.random((2, 3)))
var (xRandom, yRandom) = (rand(2, 3), rand(2, 3));
var withMse = model.Fit(xRandom, yRandom, verbose: 2);
// # It's also possible not to pass any loss in `compile`, since the model already has a loss to minimize, via the
// # `add_loss` call during the forward pass!
// model.compile(optimizer="adam")
model.Compile(optimizer: "adam", device: options.Device);
// model.fit(np.random.random((2, 3)), np.random.random((2, 3)))
var addedOnly = model.Fit(xRandom, yRandom, verbose: 2);
double mse = (xRandom - yRandom).pow(2).mean().item<float>(), activity = 1e-2 * xRandom.mean().item<float>();
Console.WriteLine($"loss with mse: {withMse["loss"][0]:F6} = mse {mse:F6} + 0.01 * mean(x) {activity:F6}; " +
                  $"without a compiled loss: {addedOnly["loss"][0]:F6}\n");

// ---- You can optionally enable serialization on your layers ----
Console.WriteLine("## Serialization");
// layer = Linear(64)
var layer64 = new Linear(64);
// config = layer.get_config()
var config = layer64.GetConfig();
// print(config)
Console.WriteLine($"{{{string.Join(", ", config.Select(kv => $"'{kv.Key}': {(kv.Value is string text ? $"'{text}'" : kv.Value ?? "None")}"))}}}");
// new_layer = Linear.from_config(config)
LayerRegistry.Register<Linear>();
var newLayer = (Linear)LayerRegistry.FromConfig(nameof(Linear), config);
Console.WriteLine($"from_config: {newLayer.Name}, units {newLayer.Units}\n");

// ---- Privileged training argument in the call() method ----
Console.WriteLine("## The training argument");
var dropout = new CustomDropout(0.5);
var activations = ones(1000, 10);
double ZeroFraction(Tensor t) => t.eq(0).to_type(ScalarType.Float32).mean().item<float>();
Console.WriteLine($"CustomDropout(0.5): zeros in training {ZeroFraction(dropout.Apply(activations, training: true)):F3}, " +
                  $"in inference {ZeroFraction(dropout.Apply(activations, training: false)):F3}\n");

// ---- Putting it all together: an end-to-end example (a VAE) ----
Console.WriteLine("## Putting it all together: a Variational AutoEncoder");
// (x_train, _), _ = keras.datasets.mnist.load_data()
var ((xTrainImages, _), _) = Mnist.LoadData(out string source);
Console.WriteLine($"MNIST from {source}");
// x_train = x_train.reshape(60000, 784).astype("float32") / 255
var xTrain = xTrainImages.reshape(-1, 784).to_type(ScalarType.Float32) / 255f;

// original_dim = 784
const int originalDim = 784;
// vae = VariationalAutoEncoder(784, 64, 32)
var vae = new VariationalAutoEncoder(originalDim, 64, 32);

// optimizer = keras.optimizers.Adam(learning_rate=1e-3)
var optimizer = new Adam(learningRate: 1e-3);
// vae.compile(optimizer, loss=keras.losses.MeanSquaredError())
vae.Compile(optimizer, loss: new MeanSquaredError(), device: options.Device);

// vae.fit(x_train, x_train, epochs=2, batch_size=64)
var vaeHistory = vae.Fit(xTrain, xTrain, epochs: options.Epochs, batchSize: 64, verbose: 2);
Console.WriteLine(vae.Summary());
// Encoder: 784*64+64 + 2*(64*32+32); decoder: 32*64+64 + 64*784+784.
long expected = (784 * 64 + 64) + 2 * (64 * 32 + 32) + (32 * 64 + 64) + (64 * 784 + 784);
Console.WriteLine($"VAE parameters: {vae.CountParams():N0} (by hand: {expected:N0}); loss (mse + KL) per epoch: " +
                  $"{string.Join(" -> ", vaeHistory["loss"].Select(v => v.ToString("F4")))}");
if (vae.CountParams() != expected) throw new InvalidOperationException("The VAE's parameter count differs from the guide's layers.");

Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F1} s.");

/// <summary>The guide's first Linear: its weights are created in the constructor, from input_dim.</summary>
// class Linear(keras.layers.Layer):
//     def __init__(self, units=32, input_dim=32):
//         super().__init__()
//         self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal", trainable=True)
//         self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)
internal sealed class LinearWithInputDim : Layer
{
    public LinearWithInputDim(int units = 32, int inputDim = 32)
    {
        (Units, InputDim) = (units, inputDim);
        W = AddWeight(shape: [inputDim, units], initializer: "random_normal", trainable: true);
        B = AddWeight(shape: [units], initializer: "zeros", trainable: true);
    }

    public int Units { get; }
    public int InputDim { get; }
    public Parameter W { get; }
    public Parameter B { get; }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];

    //     def call(self, inputs):
    //         return ops.matmul(inputs, self.w) + self.b
    public override Tensor Call(Tensor inputs, bool training) => matmul(inputs, W) + B;
}

/// <summary>The guide's ComputeSum: a non-trainable weight, updated in place by each call.</summary>
// class ComputeSum(keras.layers.Layer):
//     def __init__(self, input_dim):
//         super().__init__()
//         self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)
internal sealed class ComputeSum : Layer
{
    private readonly Parameter _total;

    public ComputeSum(int inputDim)
    {
        InputDim = inputDim;
        _total = AddWeight(initializer: "zeros", shape: [inputDim], trainable: false, name: "total");
    }

    public int InputDim { get; }

    public override long[] ComputeOutputShape(long[] inputShape) => [InputDim];

    //     def call(self, inputs):
    //         self.total.assign_add(ops.sum(inputs, axis=0))
    //         return self.total
    public override Tensor Call(Tensor inputs, bool training)
    {
        using (no_grad()) _total.add_(inputs.sum(dim: 0));   // dim: named, as sum(0) would pick sum(ScalarType)
        return _total;
    }
}

/// <summary>The guide's Linear with deferred weight creation (build), get_config, and the base class's name argument.</summary>
// class Linear(keras.layers.Layer):
//     def __init__(self, units=32, **kwargs):
//         super().__init__(**kwargs)
//         self.units = units
internal sealed class Linear(int units = 32, string? name = null) : Layer(name)
{
    private Parameter? _w, _b;

    public int Units { get; } = units;

    //     def build(self, input_shape):
    //         self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
    //         self.b = self.add_weight(shape=(self.units,), initializer="random_normal", trainable=True)
    public override void Build(long[] inputShape)
    {
        _w = AddWeight(shape: [inputShape[^1], Units], initializer: "random_normal", trainable: true);
        _b = AddWeight(shape: [Units], initializer: "random_normal", trainable: true);
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];

    //     def call(self, inputs):
    //         return ops.matmul(inputs, self.w) + self.b
    public override Tensor Call(Tensor inputs, bool training) => matmul(inputs, _w!) + _b!;

    //     def get_config(self):
    //         config = super().get_config()
    //         config.update({"units": self.units})
    //         return config
    // The default GetConfig reads the constructor's parameters (units, name) from the public properties (Units, Name).
}

/// <summary>The guide's MLPBlock: three Linear layers in fields, tracked and built on the first call.</summary>
// class MLPBlock(keras.layers.Layer):
//     def __init__(self):
//         super().__init__()
//         self.linear_1 = Linear(32)
//         self.linear_2 = Linear(32)
//         self.linear_3 = Linear(1)
internal sealed class MlpBlock : Layer
{
    private readonly Linear _linear1 = new(32);
    private readonly Linear _linear2 = new(32);
    private readonly Linear _linear3 = new(1);

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], 1];

    //     def call(self, inputs):
    //         x = self.linear_1(inputs)
    //         x = keras.activations.relu(x)
    //         x = self.linear_2(x)
    //         x = keras.activations.relu(x)
    //         return self.linear_3(x)
    public override Tensor Call(Tensor inputs, bool training)
    {
        var x = _linear1.Apply(inputs, training);
        x = nn.functional.relu(x);
        x = _linear2.Apply(x, training);
        x = nn.functional.relu(x);
        return _linear3.Apply(x, training);
    }
}

/// <summary>
/// Stand-in for Keras's <c>add_loss</c> in layers (not in Sequential's API yet): <see cref="Losses"/> holds what the
/// layer's last call added with <see cref="AddLoss"/>, and the losses of the LayerWithLosses it holds (Keras resets
/// <c>layer.losses</c> at each top-level call; here each layer keeps its last call's).
/// </summary>
internal abstract class LayerWithLosses(string? name = null) : Layer(name)
{
    private Tensor[] _own = [];

    public IReadOnlyList<Tensor> Losses => [.. _own, .. children().OfType<LayerWithLosses>().SelectMany(l => l.Losses)];

    protected void AddLoss(Tensor value) => _own = [value];
}

/// <summary>
/// Stand-in for Keras's <c>add_loss</c> in models: the training step adds the losses that the forward pass added (from
/// its layers, or from the model itself through <see cref="AddedLosses"/>) to the compiled loss, if any, as Keras's
/// <c>compute_loss</c> does, and logs the total as <c>loss</c>.
/// </summary>
internal class ModelWithLosses : Model
{
    public ModelWithLosses(SymbolicTensor inputs, SymbolicTensor outputs) : base(inputs, outputs) { }

    protected ModelWithLosses(string name) : base(name) { }

    /// <summary>Keras's <c>model.losses</c> after a forward pass (Model.Losses is the compiled losses here).</summary>
    protected virtual IEnumerable<Tensor> AddedLosses => Layers.OfType<LayerWithLosses>().SelectMany(l => l.Losses);

    public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
    {
        var weights = TrainableWeights;
        foreach (var weight in weights) weight.grad = null;
        var yPred = Call(batch.X, training: true);
        // Keras's compute_loss: the compiled loss (when there is one) plus every loss added during this forward pass.
        var loss = Loss is not null && batch.Y is not null ? Loss.Call(batch.Y, yPred, batch.SampleWeight) : zeros([], device: yPred.device);
        foreach (var added in AddedLosses) loss = loss + added;
        if (loss.requires_grad)
        {
            loss.backward();
            using (no_grad()) Optimizer!.Apply(weights.Select(w => w.grad).ToList(), weights);
        }
        // Keras's idiom is a Mean("loss") of one's own, returned by an overridden Metrics property. Sequential's trainer
        // reads the compiled metrics instead when the step's logs have their keys ("loss"), so this step updates the
        // compiled loss tracker, which Metrics lists first.
        var lossTracker = (Mean)Metrics.First(m => m.Name == "loss");
        lossTracker.UpdateState(loss.detach(), batch.X.shape[0]);
        return new Dictionary<string, double> { ["loss"] = lossTracker.Value() };
    }
}

/// <summary>The guide's activity regularization layer: adds rate * mean(inputs) as a loss.</summary>
// class ActivityRegularizationLayer(keras.layers.Layer):
//     def __init__(self, rate=1e-2):
//         super().__init__()
//         self.rate = rate
internal sealed class ActivityRegularizationLayer(double rate = 1e-2) : LayerWithLosses
{
    public double Rate { get; } = rate;

    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    //     def call(self, inputs):
    //         self.add_loss(self.rate * ops.mean(inputs))
    //         return inputs
    public override Tensor Call(Tensor inputs, bool training)
    {
        AddLoss(Rate * inputs.mean());
        return inputs;
    }
}

/// <summary>The guide's OuterLayer: its losses include those of the layer it holds.</summary>
// class OuterLayer(keras.layers.Layer):
//     def __init__(self):
//         super().__init__()
//         self.activity_reg = ActivityRegularizationLayer(1e-2)
//     def call(self, inputs):
//         return self.activity_reg(inputs)
internal sealed class OuterLayer : LayerWithLosses
{
    private readonly ActivityRegularizationLayer _activityReg = new(1e-2);

    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    public override Tensor Call(Tensor inputs, bool training) => _activityReg.Apply(inputs, training);
}

/// <summary>The guide's CustomDropout: the training argument decides.</summary>
// class CustomDropout(keras.layers.Layer):
//     def __init__(self, rate, **kwargs):
//         super().__init__(**kwargs)
//         self.rate = rate
internal sealed class CustomDropout(double rate, string? name = null) : Layer(name)
{
    public double Rate { get; } = rate;

    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    //     def call(self, inputs, training=None):
    //         if training:
    //             return keras.random.dropout(inputs, rate=self.rate)
    //         return inputs
    public override Tensor Call(Tensor inputs, bool training) =>
        training ? nn.functional.dropout(inputs, Rate, training: true) : inputs;
}

/// <summary>Uses (z_mean, z_log_var) to sample z, the vector encoding a digit.</summary>
// class Sampling(layers.Layer):
internal sealed class Sampling : Layer
{
    protected override bool TakesSeveralInputs => true;

    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes) => inputShapes[0];

    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    public override Tensor Call(Tensor x, bool training) =>
        throw new ArgumentException("Sampling takes two inputs, (z_mean, z_log_var): call Apply([zMean, zLogVar]).");

    //     def call(self, inputs):
    //         z_mean, z_log_var = inputs
    //         batch = ops.shape(z_mean)[0]
    //         dim = ops.shape(z_mean)[1]
    //         epsilon = keras.random.normal(shape=(batch, dim))
    //         return z_mean + ops.exp(0.5 * z_log_var) * epsilon
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        var (zMean, zLogVar) = (inputs[0], inputs[1]);
        var epsilon = randn_like(zMean);
        return zMean + exp(0.5 * zLogVar) * epsilon;
    }
}

/// <summary>Maps MNIST digits to a triplet (z_mean, z_log_var, z).</summary>
// class Encoder(layers.Layer):
//     def __init__(self, latent_dim=32, intermediate_dim=64, name="encoder", **kwargs):
//         super().__init__(name=name, **kwargs)
//         self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
//         self.dense_mean = layers.Dense(latent_dim)
//         self.dense_log_var = layers.Dense(latent_dim)
//         self.sampling = Sampling()
internal sealed class Encoder(int latentDim = 32, int intermediateDim = 64, string name = "encoder") : Layer(name)
{
    private readonly Dense _denseProj = new(intermediateDim, activation: "relu");
    private readonly Dense _denseMean = new(latentDim);
    private readonly Dense _denseLogVar = new(latentDim);
    private readonly Sampling _sampling = new();

    public override long[] ComputeOutputShape(long[] inputShape) => [latentDim];

    /// <summary>The guide's call: (z_mean, z_log_var, z). Builds the encoder on its first use.</summary>
    public (Tensor zMean, Tensor zLogVar, Tensor z) Encode(Tensor inputs, bool training)
    {
        EnsureBuilt(inputs.shape[1..]);
        return Forward(inputs, training);
    }

    /// <summary>A layer returns one tensor: z.</summary>
    public override Tensor Call(Tensor inputs, bool training) => Forward(inputs, training).z;

    //     def call(self, inputs):
    //         x = self.dense_proj(inputs)
    //         z_mean = self.dense_mean(x)
    //         z_log_var = self.dense_log_var(x)
    //         z = self.sampling((z_mean, z_log_var))
    //         return z_mean, z_log_var, z
    private (Tensor zMean, Tensor zLogVar, Tensor z) Forward(Tensor inputs, bool training)
    {
        var x = _denseProj.Apply(inputs, training);
        var zMean = _denseMean.Apply(x, training);
        var zLogVar = _denseLogVar.Apply(x, training);
        var z = _sampling.Apply([zMean, zLogVar], training);
        return (zMean, zLogVar, z);
    }
}

/// <summary>Converts z, the encoded digit vector, back into a readable digit.</summary>
// class Decoder(layers.Layer):
//     def __init__(self, original_dim, intermediate_dim=64, name="decoder", **kwargs):
//         super().__init__(name=name, **kwargs)
//         self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
//         self.dense_output = layers.Dense(original_dim, activation="sigmoid")
internal sealed class Decoder(int originalDim, int intermediateDim = 64, string name = "decoder") : Layer(name)
{
    private readonly Dense _denseProj = new(intermediateDim, activation: "relu");
    private readonly Dense _denseOutput = new(originalDim, activation: "sigmoid");

    public override long[] ComputeOutputShape(long[] inputShape) => [originalDim];

    //     def call(self, inputs):
    //         x = self.dense_proj(inputs)
    //         return self.dense_output(x)
    public override Tensor Call(Tensor inputs, bool training)
    {
        var x = _denseProj.Apply(inputs, training);
        return _denseOutput.Apply(x, training);
    }
}

/// <summary>Combines the encoder and decoder into an end-to-end model for training.</summary>
// class VariationalAutoEncoder(keras.Model):
//     def __init__(self, original_dim, intermediate_dim=64, latent_dim=32, name="autoencoder", **kwargs):
//         super().__init__(name=name, **kwargs)
//         self.original_dim = original_dim
//         self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
//         self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)
internal sealed class VariationalAutoEncoder(int originalDim, int intermediateDim = 64, int latentDim = 32, string name = "autoencoder")
    : ModelWithLosses(name)
{
    private readonly Encoder _encoder = new(latentDim: latentDim, intermediateDim: intermediateDim);
    private readonly Decoder _decoder = new(originalDim, intermediateDim: intermediateDim);
    private Tensor? _klLoss;

    public int OriginalDim { get; } = originalDim;

    protected override IEnumerable<Tensor> AddedLosses => _klLoss is null ? [] : [_klLoss];

    //     def call(self, inputs):
    //         z_mean, z_log_var, z = self.encoder(inputs)
    //         reconstructed = self.decoder(z)
    //         # Add KL divergence regularization loss.
    //         kl_loss = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
    //         self.add_loss(kl_loss)
    //         return reconstructed
    public override Tensor Call(Tensor inputs, bool training)
    {
        var (zMean, zLogVar, z) = _encoder.Encode(inputs, training);
        var reconstructed = _decoder.Apply(z, training);
        // Add KL divergence regularization loss.
        var klLoss = -0.5 * mean(zLogVar - square(zMean) - exp(zLogVar) + 1);
        _klLoss = klLoss;   // self.add_loss(kl_loss): ModelWithLosses.TrainStep adds it to the compiled loss
        return reconstructed;
    }
}

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(int Epochs, string? Device)
{
    public static Options Parse(string[] args)
    {
        int epochs = 2;
        string? device = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/Subclassing [-- --epochs N] [--device cpu|cuda]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --epochs N, --device cpu|cuda.");
            }
        }
        return new Options(epochs, device);
    }
}
