// keras.io's "Text classification from scratch" (Mark Omernick, Francois Chollet;
// https://keras.io/examples/nlp/text_classification_from_scratch/), line by line. The guide classifies IMDB reviews as
// positive or negative; offline, the same code tells the New Testament from the Old one verse by verse, on the King
// James Version that ships with the repository (public domain; examples/data/kjv/NOTICE), written into the aclImdb
// folder layout so that TextDatasetFromDirectory reads it as the guide reads aclImdb. Each Python line sits above its C#.
//   dotnet run --project examples/TextClassificationFromScratch     (3 epochs, about a minute on 2 cores)
using System.Text.RegularExpressions;
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

RandomSeed.Set(1337);
string root = Path.Combine(Path.GetTempPath(), "sequential-kjv-text");
if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
KjvVerses.WriteClassificationFolders(KjvVerses.Load(Path.Combine(AppContext.BaseDirectory, "data", "kjv.tsv.gz")), root, seed: 1337);

// batch_size = 32
// raw_train_ds = keras.utils.text_dataset_from_directory("aclImdb/train", batch_size=batch_size, validation_split=0.2,
//     subset="training", seed=1337)
// raw_val_ds = keras.utils.text_dataset_from_directory("aclImdb/train", batch_size=batch_size, validation_split=0.2,
//     subset="validation", seed=1337)
// raw_test_ds = keras.utils.text_dataset_from_directory("aclImdb/test", batch_size=batch_size)
const int batchSize = 32;
var rawTrainDs = TextDatasetFromDirectory(Path.Combine(root, "train"), batchSize: batchSize, validationSplit: 0.2, subset: "training", seed: 1337);
var rawValDs = TextDatasetFromDirectory(Path.Combine(root, "train"), batchSize: batchSize, validationSplit: 0.2, subset: "validation", seed: 1337);
var rawTestDs = TextDatasetFromDirectory(Path.Combine(root, "test"), batchSize: batchSize);

// print(f"Number of batches in raw_train_ds: {raw_train_ds.cardinality()}")  (and val, test)
Console.WriteLine($"Number of batches in raw_train_ds: {rawTrainDs.Cardinality()}");
Console.WriteLine($"Number of batches in raw_val_ds: {rawValDs.Cardinality()}");
Console.WriteLine($"Number of batches in raw_test_ds: {rawTestDs.Cardinality()}");

// for text_batch, label_batch in raw_train_ds.take(1):
//     for i in range(5):
//         print(text_batch.numpy()[i])
//         print(label_batch.numpy()[i])
foreach (var (textBatch, labelBatch) in rawTrainDs.Take(1).Elements())
    for (int i = 0; i < 5; i++)
    {
        Console.WriteLine(textBatch.Strings[i]);
        Console.WriteLine(labelBatch!.Tensor[i].item<int>());
    }
Console.WriteLine($"Classes: {string.Join(", ", rawTrainDs.ClassNames!)}");

// def custom_standardization(input_data):
//     lowercase = tf.strings.lower(input_data)
//     stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
//     return tf.strings.regex_replace(stripped_html, f"[{re.escape(string.punctuation)}]", "")
var punctuation = new Regex("[" + Regex.Escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + "]", RegexOptions.Compiled);
string CustomStandardization(string inputData)
{
    string lowercase = inputData.ToLowerInvariant();
    string strippedHtml = lowercase.Replace("<br />", " ");
    return punctuation.Replace(strippedHtml, "");
}

// max_features = 20000
// embedding_dim = 128
// sequence_length = 500            (verses are short: 64 tokens cover all but a handful)
const int maxFeatures = 20000;
const int embeddingDim = 128;
const int sequenceLength = 64;

// vectorize_layer = keras.layers.TextVectorization(standardize=custom_standardization, max_tokens=max_features,
//     output_mode="int", output_sequence_length=sequence_length)
var vectorizeLayer = new TextVectorization(standardizeFunction: CustomStandardization, maxTokens: maxFeatures,
    outputMode: "int", outputSequenceLength: sequenceLength);

// text_ds = raw_train_ds.map(lambda x, y: x)
// vectorize_layer.adapt(text_ds)
var textDs = rawTrainDs.Map(e => new Element(e.X));
vectorizeLayer.Adapt(textDs);
Console.WriteLine($"Vocabulary: {vectorizeLayer.VocabularySize()} tokens; the first ten: {string.Join(" ", vectorizeLayer.GetVocabulary().Take(10))}");

// def vectorize_text(text, label):
//     text = tf.expand_dims(text, -1)
//     return vectorize_layer(text), label
Element VectorizeText(Element e) => new(vectorizeLayer.Apply(e.X.Strings), e.Y);

// train_ds = raw_train_ds.map(vectorize_text); val_ds = ...; test_ds = ...
// train_ds = train_ds.cache().prefetch(buffer_size=10)  (and val, test)
var trainDs = rawTrainDs.Map(VectorizeText).Cache().Prefetch(10);
var valDs = rawValDs.Map(VectorizeText).Cache().Prefetch(10);
var testDs = rawTestDs.Map(VectorizeText).Cache().Prefetch(10);

// inputs = keras.Input(shape=(None,), dtype="int64")
// x = layers.Embedding(max_features, embedding_dim)(inputs)
// x = layers.Dropout(0.5)(x)
// x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
// x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
// x = layers.GlobalMaxPooling1D()(x)
// x = layers.Dense(128, activation="relu")(x)
// x = layers.Dropout(0.5)(x)
// predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
// model = keras.Model(inputs, predictions)
var inputs = new Input(shape: [null], dtype: ScalarType.Int64);
var x = new Embedding(maxFeatures, embeddingDim).Apply(inputs);
x = new Dropout(0.5).Apply(x);
x = new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3).Apply(x);
x = new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3).Apply(x);
x = new GlobalMaxPooling1D().Apply(x);
x = new Dense(128, activation: "relu").Apply(x);
x = new Dropout(0.5).Apply(x);
var predictions = new Dense(1, activation: "sigmoid", name: "predictions").Apply(x);
var model = new Model(inputs, predictions);

// model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.Compile(loss: "binary_crossentropy", optimizer: "adam", metrics: ["accuracy"]);
Console.WriteLine(model.Summary());

// epochs = 3
// model.fit(train_ds, validation_data=val_ds, epochs=epochs)
const int epochs = 3;
var history = model.Fit(trainDs, validationData: valDs, epochs: epochs);

// model.evaluate(test_ds)
var test = model.Evaluate(testDs);
Console.WriteLine($"Test accuracy: {test["accuracy"]:F4} (labels: {string.Join(", ", rawTrainDs.ClassNames!.Select((c, i) => $"{i} = {c}"))})");

// # A string input
// inputs = keras.Input(shape=(1,), dtype="string")
// # Turn strings into vocab indices
// indices = vectorize_layer(inputs)
// # Turn vocab indices into predictions
// outputs = model(indices)
// # Our end to end model
// end_to_end_model = keras.Model(inputs, outputs)
// end_to_end_model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
// # Test it with `raw_test_ds`, which yields raw strings
// end_to_end_model.evaluate(raw_test_ds)
var stringInputs = new Input(shape: [1], dtype: "string");   // `inputs` names the model's own Input above
var indices = vectorizeLayer.Apply(stringInputs);
var outputs = model.Apply(indices);
var endToEndModel = new Model(stringInputs, outputs);
endToEndModel.Compile(loss: "binary_crossentropy", optimizer: "adam", metrics: ["accuracy"]);
var endToEnd = endToEndModel.Evaluate(rawTestDs);
Console.WriteLine($"End-to-end model on raw strings: test accuracy {endToEnd["accuracy"]:F4}");

// Raw text in, a probability out. (Saved whole, such a model keeps its vocabulary; this one's custom standardization is
// code, which a model file cannot hold, so Save would say so: use the built-in standardize to save it whole.)
string[] raw = ["And Jesus answered and said unto them, Verily I say unto you,", "And the LORD spake unto Moses, saying,"];
var probabilities = endToEndModel.Predict(Dataset.FromTensorSlices(raw).Batch(2), verbose: 0);
for (int i = 0; i < raw.Length; i++)
    Console.WriteLine($"{probabilities[i, 0].item<float>():F3}  {raw[i]}");
history.Plot("text-classification-accuracy.png", "accuracy");
