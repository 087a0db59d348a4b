// keras.io "The Functional API" (Keras 3), line by line in C#:
//   https://keras.io/guides/functional_api/
// The guide's Python lines are kept as comments above the C# lines they became. Offline, on the MNIST digits that ship
// with Sequential. Left out or replaced, and why:
//   - keras.utils.plot_model: no counterpart; Summary's "Connected to" column shows the graph.
//   - the ticket model's Embedding/LSTM text branches (issue 10 adds those layers): Dense layers on float features of the
//     same sizes stand in; the three inputs, two outputs, loss lists/dictionaries and loss weights are the guide's.
//   - the toy ResNet's CIFAR-10: not shipped with Sequential, so offline the MNIST digits, resized to 32x32 and repeated
//     to 3 channels, take its place (the model is the guide's: 223,242 parameters); --cifar10 uses Keras's data set.
//   - VGG19 with ImageNet weights (feature extraction): not available offline; the toy ResNet above is used instead.
//   - the shared Embedding(1000, 128): a shared Dense(128) (Embedding comes with issue 10).
//   - model.save("my_model.keras"): whole-model Save of functional models is not on main yet (the file format has no
//     graph section), so the weights are saved and loaded into the model rebuilt from code (SaveWeights/LoadWeights).
// Every parameter count the guide prints is checked against Keras's number (the program stops if one differs).
// Usage: dotnet run --project examples/FunctionalApi [-- --epochs N] [--steps N] [--cifar10 [DIR]] [--device cpu|cuda] [--out DIR]
//   --epochs N  epochs of the MNIST MLP (the guide's 2)
//   --steps N   batches of the autoencoder's training run (not in the guide; default 20, 0 = every digit)
//   --cifar10 [DIR]  train the toy ResNet on CIFAR-10 as the guide does: Cifar10.LoadData(DIR), or without DIR from
//                    $SEQUENTIAL_DATASETS/cifar10 or ~/.sequential/datasets/cifar10, else downloaded as Keras does
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using TorchSharp;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

var options = Options.Parse(args);
RandomSeed.Set(42);
var clock = System.Diagnostics.Stopwatch.StartNew();

// ---- Introduction ----
Console.WriteLine("## Introduction");
// inputs = keras.Input(shape=(784,))
var inputs = new Input(shape: [784]);
// img_inputs = keras.Input(shape=(32, 32, 3))   # Just for demonstration purposes.
var imgInputs = new Input(shape: [32, 32, 3]);
// inputs.shape; inputs.dtype
Console.WriteLine($"inputs.shape: {Shapes.FormatBatch(inputs.Shape)}, inputs.dtype: {inputs.Dtype}; img_inputs.shape: {Shapes.FormatBatch(imgInputs.Shape)}");

// The guide's lines, as a function so that "Save and serialize" can rebuild the model from code.
Model MnistModel(Input inputs)
{
    // dense = layers.Dense(64, activation="relu")
    var dense = new Dense(64, activation: "relu");
    // x = dense(inputs)
    var x = dense.Apply(inputs);
    // x = layers.Dense(64, activation="relu")(x)
    x = new Dense(64, activation: "relu").Apply(x);
    // outputs = layers.Dense(10)(x)
    var outputs = new Dense(10).Apply(x);
    // model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
    return new Model(inputs: inputs, outputs: outputs, name: "mnist_model");
}

var model = MnistModel(inputs);
// model.summary()
Console.WriteLine(model.Summary());
CheckParams(model, keras: 55_050);

// ---- Training, evaluation, and inference ----
Console.WriteLine("## Training, evaluation, and inference");
// (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
var ((xTrainImages, yTrain), (xTestImages, yTest)) = Mnist.LoadData(out string source);
Console.WriteLine($"MNIST from {source}: {xTrainImages.shape[0]} training and {xTestImages.shape[0]} test images");
// x_train = x_train.reshape(60000, 784).astype("float32") / 255
var xTrain = xTrainImages.reshape(-1, 784).to_type(ScalarType.Float32) / 255f;
// x_test = x_test.reshape(10000, 784).astype("float32") / 255
var xTest = xTestImages.reshape(-1, 784).to_type(ScalarType.Float32) / 255f;

// model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer=keras.optimizers.RMSprop(),
//               metrics=["accuracy"])
model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new RMSprop(), metrics: ["accuracy"],
    device: options.Device);
// history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2)
var history = model.Fit(xTrain, yTrain, batchSize: 64, epochs: options.Epochs, validationSplit: 0.2);
// test_scores = model.evaluate(x_test, y_test, verbose=2)
var testScores = model.Evaluate(xTest, yTest, verbose: 2);
// print("Test loss:", test_scores[0]); print("Test accuracy:", test_scores[1])
Console.WriteLine($"Test loss: {testScores["loss"]}");
Console.WriteLine($"Test accuracy: {testScores["accuracy"]}");
Console.WriteLine($"History keys: {string.Join(", ", history.Keys)}\n");

// ---- Save and serialize ----
Console.WriteLine("## Save and serialize");
// model.save("my_model.keras")
// del model
// # Recreate the exact same model purely from the file:
// model = keras.models.load_model("my_model.keras")
// Whole-model Save of a functional model is not on main yet: save the weights, rebuild the model from code, load them.
Directory.CreateDirectory(options.Out);
string weightsPath = Path.GetFullPath(Path.Combine(options.Out, "my_model.safetensors"));
model.SaveWeights(weightsPath);
var predictedBefore = model.Predict(xTest, verbose: 0);
model = MnistModel(new Input(shape: [784]));
model.LoadWeights(weightsPath);
var predictedAfter = model.Predict(xTest, verbose: 0);
Console.WriteLine($"Saved {weightsPath} ({new FileInfo(weightsPath).Length:N0} bytes); the rebuilt model with the loaded weights " +
                  $"predicts the same: {predictedBefore.eq(predictedAfter).all().item<bool>()}\n");

// ---- Use the same graph of layers to define multiple models ----
Console.WriteLine("## Use the same graph of layers to define multiple models");
// encoder_input = keras.Input(shape=(28, 28, 1), name="img")
var encoderInput = new Input(shape: [28, 28, 1], name: "img");
// x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
var x = new Conv2D(16, 3, activation: "relu").Apply(encoderInput);
// x = layers.Conv2D(32, 3, activation="relu")(x)
x = new Conv2D(32, 3, activation: "relu").Apply(x);
// x = layers.MaxPooling2D(3)(x)
x = new MaxPooling2D(3).Apply(x);
// x = layers.Conv2D(32, 3, activation="relu")(x)
x = new Conv2D(32, 3, activation: "relu").Apply(x);
// x = layers.Conv2D(16, 3, activation="relu")(x)
x = new Conv2D(16, 3, activation: "relu").Apply(x);
// encoder_output = layers.GlobalMaxPooling2D()(x)
var encoderOutput = new GlobalMaxPooling2D().Apply(x);

// encoder = keras.Model(encoder_input, encoder_output, name="encoder")
var encoder = new Model(encoderInput, encoderOutput, name: "encoder");
// encoder.summary()
Console.WriteLine(encoder.Summary());
CheckParams(encoder, keras: 18_672);

// x = layers.Reshape((4, 4, 1))(encoder_output)
x = new Reshape([4, 4, 1]).Apply(encoderOutput);
// x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = new Conv2DTranspose(16, 3, activation: "relu").Apply(x);
// x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
x = new Conv2DTranspose(32, 3, activation: "relu").Apply(x);
// x = layers.UpSampling2D(3)(x)
x = new UpSampling2D(3).Apply(x);
// x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = new Conv2DTranspose(16, 3, activation: "relu").Apply(x);
// decoder_output = layers.Conv2DTranspose(1, 3, activation="relu")(x)
var decoderOutput = new Conv2DTranspose(1, 3, activation: "relu").Apply(x);

// autoencoder = keras.Model(encoder_input, decoder_output, name="autoencoder")
var autoencoder = new Model(encoderInput, decoderOutput, name: "autoencoder");
// autoencoder.summary()
Console.WriteLine(autoencoder.Summary());
CheckParams(autoencoder, keras: 28_241);
Console.WriteLine($"Output shape {Shapes.FormatBatch(autoencoder.Outputs[0].Shape)}: the same as the input's\n");

// ---- All models are callable, just like layers ----
Console.WriteLine("## All models are callable, just like layers");
// encoder_input = keras.Input(shape=(28, 28, 1), name="original_img")
encoderInput = new Input(shape: [28, 28, 1], name: "original_img");
// x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
x = new Conv2D(16, 3, activation: "relu").Apply(encoderInput);
// x = layers.Conv2D(32, 3, activation="relu")(x)
x = new Conv2D(32, 3, activation: "relu").Apply(x);
// x = layers.MaxPooling2D(3)(x)
x = new MaxPooling2D(3).Apply(x);
// x = layers.Conv2D(32, 3, activation="relu")(x)
x = new Conv2D(32, 3, activation: "relu").Apply(x);
// x = layers.Conv2D(16, 3, activation="relu")(x)
x = new Conv2D(16, 3, activation: "relu").Apply(x);
// encoder_output = layers.GlobalMaxPooling2D()(x)
encoderOutput = new GlobalMaxPooling2D().Apply(x);

// encoder = keras.Model(encoder_input, encoder_output, name="encoder")
encoder = new Model(encoderInput, encoderOutput, name: "encoder");
// encoder.summary()
Console.WriteLine(encoder.Summary());
CheckParams(encoder, keras: 18_672);

// decoder_input = keras.Input(shape=(16,), name="encoded_img")
var decoderInput = new Input(shape: [16], name: "encoded_img");
// x = layers.Reshape((4, 4, 1))(decoder_input)
x = new Reshape([4, 4, 1]).Apply(decoderInput);
// x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = new Conv2DTranspose(16, 3, activation: "relu").Apply(x);
// x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
x = new Conv2DTranspose(32, 3, activation: "relu").Apply(x);
// x = layers.UpSampling2D(3)(x)
x = new UpSampling2D(3).Apply(x);
// x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = new Conv2DTranspose(16, 3, activation: "relu").Apply(x);
// decoder_output = layers.Conv2DTranspose(1, 3, activation="relu")(x)
decoderOutput = new Conv2DTranspose(1, 3, activation: "relu").Apply(x);

// decoder = keras.Model(decoder_input, decoder_output, name="decoder")
var decoder = new Model(decoderInput, decoderOutput, name: "decoder");
// decoder.summary()
Console.WriteLine(decoder.Summary());
CheckParams(decoder, keras: 9_569);

// autoencoder_input = keras.Input(shape=(28, 28, 1), name="img")
var autoencoderInput = new Input(shape: [28, 28, 1], name: "img");
// encoded_img = encoder(autoencoder_input)
var encodedImg = encoder.Apply(autoencoderInput);
// decoded_img = decoder(encoded_img)
var decodedImg = decoder.Apply(encodedImg);
// autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")
autoencoder = new Model(autoencoderInput, decodedImg, name: "autoencoder");
// autoencoder.summary()
Console.WriteLine(autoencoder.Summary());
CheckParams(autoencoder, keras: 28_241);

// Not in the guide: train the nested autoencoder for a few steps; the encoder and decoder models' weights are its weights.
var digits = xTrainImages.reshape(-1, 28, 28, 1).to_type(ScalarType.Float32) / 255f;
var encoderWeightBefore = encoder.Weights[0].detach().clone();
autoencoder.Compile(optimizer: "adam", loss: "mse", device: options.Device);
var autoencoderHistory = autoencoder.Fit(digits, digits, batchSize: 64, epochs: 1,
    stepsPerEpoch: options.Steps == 0 ? null : options.Steps, verbose: 2);
bool encoderMoved = !encoder.Weights[0].detach().cpu().eq(encoderWeightBefore.cpu()).all().item<bool>();
Console.WriteLine($"Autoencoder mse after {autoencoder.Optimizer!.Iterations} steps: {autoencoderHistory["loss"][^1]:F4}; " +
                  $"the encoder model's weights trained with it: {encoderMoved}\n");

// ---- Ensembling ----
Console.WriteLine("## Ensembling: a model that averages the predictions of three models");
// def get_model():
//     inputs = keras.Input(shape=(128,))
//     outputs = layers.Dense(1)(inputs)
//     return keras.Model(inputs, outputs)
Model GetModel()
{
    var inputs = new Input(shape: [128]);
    var outputs = new Dense(1).Apply(inputs);
    return new Model(inputs, outputs);
}

// model1 = get_model(); model2 = get_model(); model3 = get_model()
var model1 = GetModel();
var model2 = GetModel();
var model3 = GetModel();

// inputs = keras.Input(shape=(128,))
inputs = new Input(shape: [128]);
// y1 = model1(inputs); y2 = model2(inputs); y3 = model3(inputs)
var y1 = model1.Apply(inputs);
var y2 = model2.Apply(inputs);
var y3 = model3.Apply(inputs);
// outputs = layers.average([y1, y2, y3])
var outputs = new Average().Apply(y1, y2, y3);
// ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
var ensembleModel = new Model(inputs: inputs, outputs: outputs);
Console.WriteLine(ensembleModel.Summary());
CheckParams(ensembleModel, keras: 3 * 129);
using (NewDisposeScope())
{
    var sample = randn(4, 128);
    var byHand = (model1.Predict(sample, verbose: 0) + model2.Predict(sample, verbose: 0) + model3.Predict(sample, verbose: 0)) / 3;
    double difference = (ensembleModel.Predict(sample, verbose: 0) - byHand).abs().max().item<float>();
    Console.WriteLine($"The ensemble's prediction is the mean of the three models' (largest difference {difference:G3})\n");
}

// ---- Models with multiple inputs and outputs ----
Console.WriteLine("## Models with multiple inputs and outputs");
// num_tags = 12  # Number of unique issue tags
const int numTags = 12;
// num_words = 10000  # Size of vocabulary obtained when preprocessing text data
const int numWords = 10000;
// num_departments = 4  # Number of departments for predictions
const int numDepartments = 4;

// title_input = keras.Input(shape=(None,), name="title")  # Variable-length sequence of ints
// Here: 10 word ids per title, as float features (the Dense branch below takes them in place of Embedding + LSTM).
var titleInput = new Input(shape: [10], name: "title");
// body_input = keras.Input(shape=(None,), name="body")  # Variable-length sequence of ints
var bodyInput = new Input(shape: [100], name: "body");
// tags_input = keras.Input(shape=(num_tags,), name="tags")  # Binary vectors of size `num_tags`
var tagsInput = new Input(shape: [numTags], name: "tags");

// # Embed each word in the title into a 64-dimensional vector
// title_features = layers.Embedding(num_words, 64)(title_input)
// # Reduce sequence of embedded words in the title into a single 128-dimensional vector
// title_features = layers.LSTM(128)(title_features)
var titleFeatures = new Dense(128, activation: "relu").Apply(titleInput);   // stands for Embedding(10000, 64) + LSTM(128)
// # Embed each word in the text into a 64-dimensional vector
// body_features = layers.Embedding(num_words, 64)(body_input)
// # Reduce sequence of embedded words in the body into a single 32-dimensional vector
// body_features = layers.LSTM(32)(body_features)
var bodyFeatures = new Dense(32, activation: "relu").Apply(bodyInput);      // stands for Embedding(10000, 64) + LSTM(32)

// # Merge all available features into a single large vector via concatenation
// x = layers.concatenate([title_features, body_features, tags_input])
x = new Concatenate().Apply(titleFeatures, bodyFeatures, tagsInput);

// # Stick a logistic regression for priority prediction on top of the features
// priority_pred = layers.Dense(1, name="priority")(x)
var priorityPred = new Dense(1, name: "priority").Apply(x);
// # Stick a department classifier on top of the features
// department_pred = layers.Dense(num_departments, name="department")(x)
var departmentPred = new Dense(numDepartments, name: "department").Apply(x);

// # Instantiate an end-to-end model predicting both priority and department
// model = keras.Model(inputs=[title_input, body_input, tags_input],
//                     outputs={"priority": priority_pred, "department": department_pred})
// (outputs as a list; they are named after their layers, "priority" and "department")
model = new Model(inputs: [titleInput, bodyInput, tagsInput], outputs: [priorityPred, departmentPred]);
// keras.utils.plot_model(model, "multi_input_and_output_model.png", show_shapes=True)
Console.WriteLine(model.Summary());
// Dense(128) on 10 + Dense(32) on 100 + priority and department on 128 + 32 + 12 = 172 features.
CheckParams(model, keras: (10 * 128 + 128) + (100 * 32 + 32) + (172 + 1) + (172 * 4 + 4));
Console.WriteLine($"Inputs: {string.Join(", ", model.InputNames)}; outputs: {string.Join(", ", model.OutputNames)}");

// model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
//               loss=[keras.losses.BinaryCrossentropy(from_logits=True), keras.losses.CategoricalCrossentropy(from_logits=True)],
//               loss_weights=[1.0, 0.2])
model.Compile(optimizer: new RMSprop(1e-3),
    loss: [new BinaryCrossentropy(fromLogits: true), new CategoricalCrossentropy(fromLogits: true)],
    lossWeights: [1.0, 0.2], device: options.Device);

// model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
//               loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
//                     "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
//               loss_weights={"priority": 1.0, "department": 0.2})
model.Compile(optimizer: new RMSprop(1e-3),
    loss: new Dictionary<string, Loss>
    {
        ["priority"] = new BinaryCrossentropy(fromLogits: true),
        ["department"] = new CategoricalCrossentropy(fromLogits: true),
    },
    lossWeights: new Dictionary<string, double> { ["priority"] = 1.0, ["department"] = 0.2 },
    device: options.Device);

// # Dummy input data
// title_data = np.random.randint(num_words, size=(1280, 10))
// body_data = np.random.randint(num_words, size=(1280, 100))
// (word ids scaled to [0, 1): Dense features, not embedding indices)
var titleData = randint(numWords, [1280, 10]).to_type(ScalarType.Float32) / numWords;
var bodyData = randint(numWords, [1280, 100]).to_type(ScalarType.Float32) / numWords;
// tags_data = np.random.randint(2, size=(1280, num_tags)).astype("float32")
var tagsData = randint(2, [1280, numTags]).to_type(ScalarType.Float32);
// # Dummy target data
// priority_targets = np.random.random(size=(1280, 1))
var priorityTargets = rand(1280, 1);
// dept_targets = np.random.randint(2, size=(1280, num_departments))
var deptTargets = randint(2, [1280, numDepartments]).to_type(ScalarType.Float32);

// model.fit({"title": title_data, "body": body_data, "tags": tags_data},
//           {"priority": priority_targets, "department": dept_targets}, epochs=2, batch_size=32)
var ticketHistory = model.Fit(
    new Dictionary<string, Tensor> { ["title"] = titleData, ["body"] = bodyData, ["tags"] = tagsData },
    new Dictionary<string, Tensor> { ["priority"] = priorityTargets, ["department"] = deptTargets },
    epochs: 2, batchSize: 32);
Console.WriteLine($"History keys: {string.Join(", ", ticketHistory.Keys)}");
// The same with lists, in the model's input and output order:
var listLogs = model.Evaluate([titleData, bodyData, tagsData], [priorityTargets, deptTargets], verbose: 0);
Console.WriteLine($"Evaluate with lists: {string.Join(", ", listLogs.Select(kv => $"{kv.Key} {kv.Value:F4}"))}\n");

// ---- A toy ResNet model ----
Console.WriteLine("## A toy ResNet model");
// inputs = keras.Input(shape=(32, 32, 3), name="img")
inputs = new Input(shape: [32, 32, 3], name: "img");
// x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = new Conv2D(32, 3, activation: "relu").Apply(inputs);
// x = layers.Conv2D(64, 3, activation="relu")(x)
x = new Conv2D(64, 3, activation: "relu").Apply(x);
// block_1_output = layers.MaxPooling2D(3)(x)
var block1Output = new MaxPooling2D(3).Apply(x);

// x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
x = new Conv2D(64, 3, activation: "relu", padding: "same").Apply(block1Output);
// x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
x = new Conv2D(64, 3, activation: "relu", padding: "same").Apply(x);
// block_2_output = layers.add([x, block_1_output])
var block2Output = new Add().Apply(x, block1Output);

// x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
x = new Conv2D(64, 3, activation: "relu", padding: "same").Apply(block2Output);
// x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
x = new Conv2D(64, 3, activation: "relu", padding: "same").Apply(x);
// block_3_output = layers.add([x, block_2_output])
var block3Output = new Add().Apply(x, block2Output);

// x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
x = new Conv2D(64, 3, activation: "relu").Apply(block3Output);
// x = layers.GlobalAveragePooling2D()(x)
x = new GlobalAveragePooling2D().Apply(x);
// x = layers.Dense(256, activation="relu")(x)
x = new Dense(256, activation: "relu").Apply(x);
// x = layers.Dropout(0.5)(x)
x = new Dropout(0.5).Apply(x);
// outputs = layers.Dense(10)(x)
outputs = new Dense(10).Apply(x);

// model = keras.Model(inputs, outputs, name="toy_resnet")
var toyResnet = new Model(inputs, outputs, name: "toy_resnet");
// model.summary()
Console.WriteLine(toyResnet.Summary());
CheckParams(toyResnet, keras: 223_242);

// (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
// x_train = x_train.astype("float32") / 255.0
Tensor xTrainImg, yTrainImg;
if (options.Cifar10 is { } cifarFolder)
{
    // --cifar10 [DIR]: Keras's CIFAR-10, from DIR, else found or downloaded as Keras's load_data does.
    var ((xCifar, yCifar), _) = Cifar10.LoadData(cifarFolder.Length == 0 ? null : cifarFolder);
    (xTrainImg, yTrainImg) = (xCifar.to_type(ScalarType.Float32) / 255f, yCifar);
}
else
{
    // Offline: CIFAR-10 does not ship with Sequential, so MNIST digits resized to 32x32 and repeated to 3 channels stand in.
    (xTrainImg, yTrainImg) = (ToRgb32(xTrainImages[..1000]), yTrain[..1000]);
}
// y_train = keras.utils.to_categorical(y_train, 10)
var yTrainOneHot = ToCategorical(yTrainImg, 10);
Console.WriteLine($"{(options.Cifar10 is null ? "Digits as 32x32 RGB images" : "CIFAR-10")}: x {Shapes.Format(xTrainImg.shape)}, " +
                  $"one-hot labels {Shapes.Format(yTrainOneHot.shape)}");

// model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=keras.losses.CategoricalCrossentropy(from_logits=True),
//               metrics=["acc"])
toyResnet.Compile(optimizer: new RMSprop(1e-3), loss: new CategoricalCrossentropy(fromLogits: true), metrics: ["acc"],
    device: options.Device);
// # We restrict the data to the first 1000 samples so as to limit execution time
// model.fit(x_train[:1000], y_train[:1000], batch_size=64, epochs=1, validation_split=0.2)
var resnetHistory = toyResnet.Fit(xTrainImg[..1000], yTrainOneHot[..1000], batchSize: 64, epochs: 1, validationSplit: 0.2);
Console.WriteLine($"History keys: {string.Join(", ", resnetHistory.Keys)}\n");

// ---- Shared layers ----
Console.WriteLine("## Shared layers");
// # Embedding for 1000 unique words mapped to 128-dimensional vectors
// shared_embedding = layers.Embedding(1000, 128)
var sharedDense = new Dense(128, name: "shared_dense");   // a Dense layer shared the same way (Embedding: issue 10)
// # Variable-length sequence of integers
// text_input_a = keras.Input(shape=(None,), dtype="int32")
var textInputA = new Input(shape: [32], name: "text_a");
// text_input_b = keras.Input(shape=(None,), dtype="int32")
var textInputB = new Input(shape: [32], name: "text_b");
// # Reuse the same layer to encode both inputs
// encoded_input_a = shared_embedding(text_input_a)
var encodedInputA = sharedDense.Apply(textInputA);
// encoded_input_b = shared_embedding(text_input_b)
var encodedInputB = sharedDense.Apply(textInputB);
var sharedModel = new Model([textInputA, textInputB], new Add().Apply(encodedInputA, encodedInputB), name: "shared_layers");
Console.WriteLine(sharedModel.Summary());
CheckParams(sharedModel, keras: 32 * 128 + 128);   // one set of weights for both inputs

// ---- Extract and reuse nodes in the graph of layers ----
Console.WriteLine("## Extract and reuse nodes in the graph of layers");
// vgg19 = keras.applications.VGG19()   -> the toy ResNet trained above (no ImageNet weights offline)
// features_list = [layer.output for layer in vgg19.layers]
var featuresList = toyResnet.Layers.Select(layer => layer.Output).ToList();
// feat_extraction_model = keras.Model(inputs=vgg19.input, outputs=features_list)
var featExtractionModel = new Model(inputs: toyResnet.Inputs, outputs: featuresList);
// img = np.random.random((1, 224, 224, 3)).astype("float32")
var img = rand(1, 32, 32, 3);
// extracted_features = feat_extraction_model(img)
var extractedFeatures = featExtractionModel.Predict([img], verbose: 0);
Console.WriteLine(string.Join("\n", toyResnet.Layers.Zip(extractedFeatures,
    (layer, features) => $"  {layer.Name,-24} {Shapes.Format(features.shape)}")));
Console.WriteLine();

// ---- Extend the API using custom layers ----
Console.WriteLine("## Extend the API using custom layers");
// inputs = keras.Input((4,))
inputs = new Input(shape: [4]);
// outputs = CustomDense(10)(inputs)
outputs = new CustomDense(10).Apply(inputs);
// model = keras.Model(inputs, outputs)
model = new Model(inputs, outputs);
Console.WriteLine(model.Summary());
CheckParams(model, keras: 4 * 10 + 10);
// config = model.get_config()
// new_model = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
// A graph's configuration comes with whole-model saving of functional models; a layer's works today:
LayerRegistry.Register<CustomDense>();
var customConfig = model.GetLayer(0).GetConfig();
var newLayer = LayerRegistry.FromConfig(nameof(CustomDense), customConfig);
Console.WriteLine($"CustomDense config: {{{string.Join(", ", customConfig.Select(kv => $"{kv.Key}: {kv.Value}"))}}} -> " +
                  $"from_config made {newLayer.Name} with {((CustomDense)newLayer).Units} units\n");

// ---- Mix-and-match API styles ----
Console.WriteLine("## Mix-and-match API styles");
// units = 32; timesteps = 10; input_dim = 5
const int units = 32, timesteps = 10, inputDim = 5;
// # Define a Functional model
// inputs = keras.Input((None, units))
inputs = new Input(shape: [timesteps, units]);
// x = layers.GlobalAveragePooling1D()(inputs)
x = new Lambda(t => t.mean([1])).Apply(inputs);   // GlobalAveragePooling1D comes with issue 10
// outputs = layers.Dense(1)(x)
outputs = new Dense(1).Apply(x);
// model = keras.Model(inputs, outputs)
model = new Model(inputs, outputs);

// rnn_model = CustomRNN()
var rnnModel = new CustomRnn(units, model);
// _ = rnn_model(ops.zeros((1, timesteps, input_dim)))
var rnnOutput = rnnModel.Apply(zeros(1, timesteps, inputDim));
Console.WriteLine($"CustomRNN (a subclassed layer holding a functional model): output {Shapes.Format(rnnOutput.shape)}, " +
                  $"{rnnModel.Weights.Count} weights, {rnnModel.CountParams()} parameters");
CheckParams(rnnModel, keras: (inputDim * units + units) + (units * units + units) + (units + 1));

Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F1} s.");

// MNIST digits [N, 28, 28] (uint8) -> [N, 32, 32, 3] float32 in [0, 1]: bilinear resize, grey repeated to 3 channels.
static Tensor ToRgb32(Tensor digits)
{
    using var scope = NewDisposeScope();
    var grey = digits.unsqueeze(1).to_type(ScalarType.Float32) / 255f;                       // [N, 1, 28, 28]
    var resized = nn.functional.interpolate(grey, size: [32, 32], mode: InterpolationMode.Bilinear, align_corners: false);
    return resized.permute(0, 2, 3, 1).expand(-1, -1, -1, 3).contiguous().MoveToOuterDisposeScope();
}

// Prints a model's parameter count next to Keras's and stops the program if they differ.
static void CheckParams(Layer model, long keras)
{
    long ours = model.CountParams();
    Console.WriteLine($"{model.Name}: {ours:N0} parameters (Keras: {keras:N0})");
    if (ours != keras)
        throw new InvalidOperationException($"{model.Name} has {ours:N0} parameters; Keras's guide counts {keras:N0}.");
}

/// <summary>The guide's basic implementation of Dense.</summary>
// class CustomDense(layers.Layer):
//     def __init__(self, units=32):
//         super().__init__()
//         self.units = units
internal sealed class CustomDense(int units = 32) : Layer
{
    private TorchSharp.Modules.Parameter? _w, _b;

    public int Units { get; } = units;

    // def build(self, input_shape):
    //     self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
    //     self.b = self.add_weight(shape=(self.units,), initializer="random_normal", trainable=True)
    public override void Build(long[] inputShape)
    {
        _w = AddWeight(shape: [inputShape[^1], Units], initializer: "random_normal", trainable: true);
        _b = AddWeight(shape: [Units], initializer: "random_normal", trainable: true);
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];

    // def call(self, inputs):
    //     return ops.matmul(inputs, self.w) + self.b
    public override Tensor Call(Tensor inputs, bool training) => matmul(inputs, _w!) + _b!;

    // def get_config(self):
    //     return {"units": self.units}
    // (the default GetConfig reads the constructor's parameters from the public properties: {"units": 10})
}

/// <summary>The guide's CustomRNN: a subclassed layer that holds a functional model.</summary>
// class CustomRNN(layers.Layer):
//     def __init__(self):
//         super().__init__()
//         self.units = units
//         self.projection_1 = layers.Dense(units=units, activation="tanh")
//         self.projection_2 = layers.Dense(units=units, activation="tanh")
//         # Our previously-defined Functional model
//         self.classifier = model
internal sealed class CustomRnn(int units, Model classifier) : Layer
{
    private readonly Dense _projection1 = new(units: units, activation: "tanh");
    private readonly Dense _projection2 = new(units: units, activation: "tanh");
    private readonly Model _classifier = classifier;

    public override long[] ComputeOutputShape(long[] inputShape) => [1];

    // def call(self, inputs):
    //     outputs = []
    //     state = ops.zeros(shape=(inputs.shape[0], self.units))
    //     for t in range(inputs.shape[1]):
    //         x = inputs[:, t, :]
    //         h = self.projection_1(x)
    //         y = h + self.projection_2(state)
    //         state = y
    //         outputs.append(y)
    //     features = ops.stack(outputs, axis=1)
    //     print(features.shape)
    //     return self.classifier(features)
    public override Tensor Call(Tensor inputs, bool training)
    {
        var outputs = new List<Tensor>();
        var state = zeros(inputs.shape[0], units, device: inputs.device);
        for (long t = 0; t < inputs.shape[1]; t++)
        {
            var x = inputs[.., (int)t, ..];
            var h = _projection1.Apply(x, training);
            var y = h + _projection2.Apply(state, training);
            state = y;
            outputs.Add(y);
        }
        var features = stack(outputs, dim: 1);
        return _classifier.Apply(features, training);
    }
}

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(int Epochs, int Steps, string? Device, string Out, string? Cifar10)
{
    public static Options Parse(string[] args)
    {
        int epochs = 2, steps = 20;
        string? device = null, cifar10 = null;
        string output = Path.Combine(Path.GetTempPath(), "sequential-functional-api");
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--steps": steps = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "--out": output = Value(); break;
                case "--cifar10": cifar10 = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : ""; break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/FunctionalApi [-- --epochs N] [--steps N] [--cifar10 [DIR]] [--device cpu|cuda] [--out DIR]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --epochs N, --steps N, --cifar10 [DIR], --device cpu|cuda, --out DIR.");
            }
        }
        return new Options(epochs, steps, device, output, cifar10);
    }
}
