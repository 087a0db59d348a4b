// keras.io's "Character-level text generation with LSTM" (https://keras.io/examples/generative/lstm_character_level_text_generation/),
// line by line. The guide learns Nietzsche's prose one character at a time; offline, the same code learns the Book of
// Proverbs from the King James Version that ships with the repository (public domain; examples/data/kjv/NOTICE).
// Each Python line sits above its C#.
//   dotnet run --project examples/CharacterLevelTextGeneration                        (2 epochs, 200 characters per sample)
//   dotnet run --project examples/CharacterLevelTextGeneration -- --epochs 40 --length 400   (the guide's run)
using System.Text;
using Sequential;
using Sequential.Layers;
using Sequential.Optimizers;
using static TorchSharp.torch;

int epochs = 2, length = 200;
for (int a = 0; a + 1 < args.Length; a += 2)
    if (args[a] == "--epochs") epochs = int.Parse(args[a + 1]);
    else if (args[a] == "--length") length = int.Parse(args[a + 1]);
RandomSeed.Set(1337);
var random = new Random(1337);

// path = keras.utils.get_file("nietzsche.txt", origin="https://s3.amazonaws.com/text-datasets/nietzsche.txt")
// with io.open(path, encoding="utf-8") as f:
//     text = f.read().lower()
// text = text.replace("\n", " ")  # We remove newlines chars for nicer display
var proverbs = KjvVerses.Load(Path.Combine(AppContext.BaseDirectory, "data", "kjv.tsv.gz")).Where(v => v.Book == "Prv");
string text = string.Join(" ", proverbs.Select(v => v.Text)).ToLowerInvariant();
// print("Corpus length:", len(text))
Console.WriteLine($"Corpus length: {text.Length}");

// chars = sorted(list(set(text)))
// print("Total chars:", len(chars))
// char_indices = dict((c, i) for i, c in enumerate(chars))
// indices_char = dict((i, c) for i, c in enumerate(chars))
char[] chars = [.. text.Distinct().Order()];
Console.WriteLine($"Total chars: {chars.Length}");
var charIndices = chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);

// maxlen = 40
// step = 3
// sentences = []
// next_chars = []
// for i in range(0, len(text) - maxlen, step):
//     sentences.append(text[i : i + maxlen])
//     next_chars.append(text[i + maxlen])
// print("Number of sequences:", len(sentences))
const int maxlen = 40;
const int step = 3;
var sentences = new List<string>();
var nextChars = new List<char>();
for (int i = 0; i < text.Length - maxlen; i += step)
{
    sentences.Add(text.Substring(i, maxlen));
    nextChars.Add(text[i + maxlen]);
}
Console.WriteLine($"Number of sequences: {sentences.Count}");

// x = np.zeros((len(sentences), maxlen, len(chars)), dtype="bool")
// y = np.zeros((len(sentences), len(chars)), dtype="bool")
// for i, sentence in enumerate(sentences):
//     for t, char in enumerate(sentence):
//         x[i, t, char_indices[char]] = 1
//     y[i, char_indices[next_chars[i]]] = 1
var xData = new float[sentences.Count * maxlen * chars.Length];
var yData = new float[sentences.Count * chars.Length];
for (int i = 0; i < sentences.Count; i++)
{
    for (int t = 0; t < maxlen; t++) xData[(i * maxlen + t) * chars.Length + charIndices[sentences[i][t]]] = 1;
    yData[i * chars.Length + charIndices[nextChars[i]]] = 1;
}
var x = tensor(xData).view(sentences.Count, maxlen, chars.Length);
var y = tensor(yData).view(sentences.Count, chars.Length);

// model = keras.Sequential([keras.Input(shape=(maxlen, len(chars))), layers.LSTM(128),
//     layers.Dense(len(chars), activation="softmax")])
// optimizer = keras.optimizers.RMSprop(learning_rate=0.01)
// model.compile(loss="categorical_crossentropy", optimizer=optimizer)
var model = new SequentialModel(new LSTM(128, inputShape: [maxlen, chars.Length]), new Dense(chars.Length, activation: "softmax"));
var optimizer = new RMSprop(learningRate: 0.01);
model.Compile(loss: "categorical_crossentropy", optimizer: optimizer);
Console.WriteLine(model.Summary());

// def sample(preds, temperature=1.0):
//     preds = np.asarray(preds).astype("float64")
//     preds = np.log(preds) / temperature
//     exp_preds = np.exp(preds)
//     preds = exp_preds / np.sum(exp_preds)
//     probas = np.random.multinomial(1, preds, 1)
//     return np.argmax(probas)
int Sample(Tensor preds, double temperature)
{
    var p = preds.to_type(ScalarType.Float64).log() / temperature;
    var expPreds = p.exp();
    var probabilities = (expPreds / expPreds.sum()).data<double>().ToArray();
    double draw = random.NextDouble(), cumulative = 0;
    for (int i = 0; i < probabilities.Length; i++)
        if ((cumulative += probabilities[i]) > draw) return i;
    return probabilities.Length - 1;
}

// epochs = 40
// batch_size = 128
const int batchSize = 128;
// for epoch in range(epochs):
for (int epoch = 0; epoch < epochs; epoch++)
{
    //     model.fit(x, y, batch_size=batch_size, epochs=1)
    model.Fit(x, y, batchSize: batchSize, epochs: 1);
    //     print()
    //     print("Generating text after epoch: %d" % epoch)
    Console.WriteLine();
    Console.WriteLine($"Generating text after epoch: {epoch}");
    //     start_index = random.randint(0, len(text) - maxlen - 1)
    int startIndex = random.Next(0, text.Length - maxlen);
    //     for diversity in [0.2, 0.5, 1.0, 1.2]:
    foreach (double diversity in new[] { 0.2, 0.5, 1.0, 1.2 })
    {
        //         print("...Diversity:", diversity)
        //         generated = ""
        //         sentence = text[start_index : start_index + maxlen]
        //         print('...Generating with seed: "' + sentence + '"')
        Console.WriteLine($"...Diversity: {diversity}");
        var generated = new StringBuilder();
        string sentence = text.Substring(startIndex, maxlen);
        Console.WriteLine($"...Generating with seed: \"{sentence}\"");
        //         for i in range(400):
        for (int i = 0; i < length; i++)
        {
            //             x_pred = np.zeros((1, maxlen, len(chars)))
            //             for t, char in enumerate(sentence):
            //                 x_pred[0, t, char_indices[char]] = 1.0
            var xPred = new float[maxlen * chars.Length];
            for (int t = 0; t < maxlen; t++) xPred[t * chars.Length + charIndices[sentence[t]]] = 1;
            //             preds = model.predict(x_pred, verbose=0)[0]
            //             next_index = sample(preds, diversity)
            //             next_char = indices_char[next_index]
            //             sentence = sentence[1:] + next_char
            //             generated += next_char
            var preds = model.Predict(tensor(xPred).view(1, maxlen, chars.Length), verbose: 0)[0];
            char nextChar = chars[Sample(preds, diversity)];
            sentence = sentence[1..] + nextChar;
            generated.Append(nextChar);
        }
        //         print("...Generated: ", generated)
        //         print("-")
        Console.WriteLine($"...Generated:  {generated}");
        Console.WriteLine("-");
    }
}
