// keras.io's "Bidirectional LSTM on IMDB" (fchollet; https://keras.io/examples/nlp/bidirectional_lstm_imdb/), line by
// line. keras.datasets.imdb gives reviews as lists of word ids (most frequent first) and sentiment labels; offline, the
// same model reads the King James Version's verses as word-id lists (ids from TextVectorization's frequency-ordered
// vocabulary, as imdb.load_data ranks words) and tells the New Testament (0) from the Old (1); examples/data/kjv/NOTICE.
// Each Python line sits above its C#.
//   dotnet run --project examples/BidirectionalLstm                  (2 epochs, a few minutes on 2 cores)
using Sequential;
using Sequential.Layers;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

int epochs = args.Length == 2 && args[0] == "--epochs" ? int.Parse(args[1]) : 2;
RandomSeed.Set(1337);

// max_features = 20000  # Only consider the top 20k words
// maxlen = 200  # Only consider the first 200 words of each movie review      (verses: 64 words cover nearly all)
const int maxFeatures = 20000;
const int maxlen = 64;

// inputs = keras.Input(shape=(None,), dtype="int32")
// x = layers.Embedding(max_features, 128)(inputs)
// x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
// x = layers.Bidirectional(layers.LSTM(64))(x)
// outputs = layers.Dense(1, activation="sigmoid")(x)
// model = keras.Model(inputs, outputs)
// model.summary()
var inputs = new Input(shape: [null], dtype: ScalarType.Int32);
var x = new Embedding(maxFeatures, 128).Apply(inputs);
x = new Bidirectional(new LSTM(64, returnSequences: true)).Apply(x);
x = new Bidirectional(new LSTM(64)).Apply(x);
var outputs = new Dense(1, activation: "sigmoid").Apply(x);
var model = new Model(inputs, outputs);
Console.WriteLine(model.Summary());
// Keras: embedding 2,560,000; bidirectional 98,816; bidirectional_1 98,816; dense 129 -> 2,757,761 parameters.
if (model.CountParams() != 2_757_761) throw new InvalidOperationException($"Expected Keras's 2,757,761 parameters, got {model.CountParams():N0}.");

// (x_train, y_train), (x_val, y_val) = keras.datasets.imdb.load_data(num_words=max_features)
var ((xTrain, yTrain), (xVal, yVal)) = LoadVerses(Path.Combine(AppContext.BaseDirectory, "data", "kjv.tsv.gz"), maxFeatures);
Console.WriteLine($"{xTrain.Count} Training sequences");
Console.WriteLine($"{xVal.Count} Validation sequences");

// x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
// x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)
var xTrainPadded = PadSequences(xTrain, maxlen: maxlen);
var xValPadded = PadSequences(xVal, maxlen: maxlen);

// model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
// model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val))
model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
var history = model.Fit(xTrainPadded, yTrain, batchSize: 32, epochs: epochs, validationData: (xValPadded, yVal));
Console.WriteLine($"Validation accuracy: {history["val_accuracy"][^1]:F4}");

// imdb.load_data for the verses: a balanced Old/New Testament set (as many Old Testament verses, drawn at random, as
// there are New Testament ones), 80% for training; each verse as word ids ranked by frequency in the training verses
// (TextVectorization's vocabulary: 0 padding, 1 out of vocabulary, then the most frequent word), labels new = 0, old = 1.
static ((IReadOnlyList<IReadOnlyList<long>>, Tensor), (IReadOnlyList<IReadOnlyList<long>>, Tensor)) LoadVerses(string path, int numWords)
{
    var random = new Random(1337);
    var verses = KjvVerses.Load(path).GroupBy(v => v.Testament).ToDictionary(g => g.Key, g => g.OrderBy(_ => random.Next()).ToList());
    int perClass = verses.Values.Min(v => v.Count);
    var chosen = verses.SelectMany(kv => kv.Value.Take(perClass)).OrderBy(_ => random.Next()).ToList();
    int split = chosen.Count * 4 / 5;
    var vectorize = new TextVectorization(maxTokens: numWords);
    vectorize.Adapt(chosen.Take(split).Select(v => v.Text));
    IReadOnlyList<IReadOnlyList<long>> Ids(IEnumerable<KjvVerses.Verse> part) =>
        [.. part.Select(v => (IReadOnlyList<long>)vectorize.Apply(v.Text).data<long>().Where(id => id != 0).ToArray())];
    Tensor Labels(IEnumerable<KjvVerses.Verse> part) => tensor(part.Select(v => v.Testament == "old" ? 1f : 0f).ToArray()).view(-1, 1);
    return ((Ids(chosen.Take(split)), Labels(chosen.Take(split))), (Ids(chosen.Skip(split)), Labels(chosen.Skip(split))));
}
