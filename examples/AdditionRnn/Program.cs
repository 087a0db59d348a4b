// keras.io's "Sequence to sequence learning for performing number addition" (Smerity and others,
// https://keras.io/examples/nlp/addition_rnn/), line by line: an LSTM encoder, RepeatVector, an LSTM decoder and a
// softmax per output step learn to add "535+61" -> "596" from strings. Each Python line sits above its C#.
//   dotnet run --project examples/AdditionRnn                 (5 epochs, about a minute on 2 cores)
//   dotnet run --project examples/AdditionRnn -- --epochs 30  (the guide's run: 99+% validation accuracy)
using System.Text;
using Sequential;
using Sequential.Layers;
using static TorchSharp.torch;

int epochs = args.Length == 2 && args[0] == "--epochs" ? int.Parse(args[1]) : 5;

// TRAINING_SIZE = 50000
// DIGITS = 3
// REVERSE = True
// MAXLEN = DIGITS + 1 + DIGITS
const int TRAINING_SIZE = 50000;
const int DIGITS = 3;
const bool REVERSE = true;
const int MAXLEN = DIGITS + 1 + DIGITS;

// chars = "0123456789+ "
// ctable = CharacterTable(chars)
const string chars = "0123456789+ ";
var ctable = new CharacterTable(chars);

// questions = []; expected = []; seen = set()
var questions = new List<string>();
var expected = new List<string>();
var seen = new HashSet<(int, int)>();
var random = new Random(1337);
RandomSeed.Set(1337);
Console.WriteLine("Generating data...");
// while len(questions) < TRAINING_SIZE:
while (questions.Count < TRAINING_SIZE)
{
    //     f = lambda: int("".join(np.random.choice(list("0123456789")) for i in range(np.random.randint(1, DIGITS + 1))))
    int F()
    {
        var digits = new StringBuilder();
        for (int i = 0, n = random.Next(1, DIGITS + 1); i < n; i++) digits.Append("0123456789"[random.Next(10)]);
        return int.Parse(digits.ToString());
    }
    //     a, b = f(), f()
    int a = F(), b = F();
    //     key = tuple(sorted((a, b)))
    //     if key in seen: continue
    //     seen.add(key)
    if (!seen.Add((Math.Min(a, b), Math.Max(a, b)))) continue;
    //     q = "{}+{}".format(a, b)
    //     query = q + " " * (MAXLEN - len(q))
    string q = $"{a}+{b}";
    string query = q.PadRight(MAXLEN);
    //     ans = str(a + b)
    //     ans += " " * (DIGITS + 1 - len(ans))
    string ans = (a + b).ToString().PadRight(DIGITS + 1);
    //     if REVERSE: query = query[::-1]
    if (REVERSE) query = new string(query.Reverse().ToArray());
    questions.Add(query);
    expected.Add(ans);
}
// print("Total questions:", len(questions))
Console.WriteLine($"Total questions: {questions.Count}");

// x = np.zeros((len(questions), MAXLEN, len(chars)), dtype=np.bool)  ... x[i] = ctable.encode(sentence, MAXLEN)
// y = np.zeros((len(questions), DIGITS + 1, len(chars)), dtype=np.bool) ... y[i] = ctable.encode(sentence, DIGITS + 1)
Console.WriteLine("Vectorization...");
var x = ctable.Encode(questions, MAXLEN);
var y = ctable.Encode(expected, DIGITS + 1);

// indices = np.arange(len(y)); np.random.shuffle(indices); x = x[indices]; y = y[indices]
var indices = randperm(y.shape[0]);
x = x[indices];
y = y[indices];

// split_at = len(x) - len(x) // 10
// (x_train, x_val) = x[:split_at], x[split_at:]
// (y_train, y_val) = y[:split_at], y[split_at:]
long splitAt = x.shape[0] - x.shape[0] / 10;
var (xTrain, xVal) = (x[..(int)splitAt], x[(int)splitAt..]);
var (yTrain, yVal) = (y[..(int)splitAt], y[(int)splitAt..]);
Console.WriteLine("Training Data:");
Console.WriteLine(Shapes.Format(xTrain.shape));
Console.WriteLine(Shapes.Format(yTrain.shape));
Console.WriteLine("Validation Data:");
Console.WriteLine(Shapes.Format(xVal.shape));
Console.WriteLine(Shapes.Format(yVal.shape));

// print("Build model...")
// num_layers = 1
// model = keras.Sequential()
// model.add(layers.LSTM(128, input_shape=(MAXLEN, len(chars))))
// model.add(layers.RepeatVector(DIGITS + 1))
// for _ in range(num_layers):
//     model.add(layers.LSTM(128, return_sequences=True))
// model.add(layers.Dense(len(chars), activation="softmax"))
// model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
// model.summary()
Console.WriteLine("Build model...");
const int numLayers = 1;
var model = new SequentialModel();
model.Add(new LSTM(128, inputShape: [MAXLEN, chars.Length]));
model.Add(new RepeatVector(DIGITS + 1));
for (int i = 0; i < numLayers; i++)
    model.Add(new LSTM(128, returnSequences: true));
model.Add(new Dense(chars.Length, activation: "softmax"));
model.Compile(loss: "categorical_crossentropy", optimizer: "adam", metrics: ["accuracy"]);
Console.WriteLine(model.Summary());
// Keras's summary: lstm 72,192, repeat_vector 0, lstm_1 131,584, dense 1,548 -> 205,324 parameters.
if (model.CountParams() != 205_324) throw new InvalidOperationException($"Expected Keras's 205,324 parameters, got {model.CountParams():N0}.");

// epochs = 30; batch_size = 32
const int batchSize = 32;
History? history = null;
// for epoch in range(1, epochs):
for (int epoch = 1; epoch < epochs + 1; epoch++)
{
    Console.WriteLine();
    Console.WriteLine($"Iteration {epoch}");
    //     model.fit(x_train, y_train, batch_size=batch_size, epochs=1, validation_data=(x_val, y_val))
    history = model.Fit(xTrain, yTrain, batchSize: batchSize, epochs: 1, validationData: (xVal, yVal));
    //     for i in range(10):
    for (int i = 0; i < 10; i++)
    {
        //         ind = np.random.randint(0, len(x_val))
        //         rowx, rowy = x_val[np.array([ind])], y_val[np.array([ind])]
        //         preds = np.argmax(model.predict(rowx), axis=-1)
        int ind = random.Next((int)xVal.shape[0]);
        var (rowx, rowy) = (xVal[ind..(ind + 1)], yVal[ind..(ind + 1)]);
        var preds = model.Predict(rowx, verbose: 0).argmax(-1);
        //         q = ctable.decode(rowx[0]); correct = ctable.decode(rowy[0]); guess = ctable.decode(preds[0], calc_argmax=False)
        string q = ctable.Decode(rowx[0]);
        string correct = ctable.Decode(rowy[0]);
        string guess = ctable.Decode(preds[0], calcArgmax: false);
        //         print("Q", q[::-1] if REVERSE else q, end=" "); print("T", correct, end=" ")
        Console.Write($"Q {(REVERSE ? new string(q.Reverse().ToArray()) : q)} T {correct} ");
        //         print("☑ " + guess if correct == guess else "☒ " + guess)
        Console.WriteLine(correct == guess ? "☑ " + guess : "☒ " + guess);
    }
}
Console.WriteLine($"Validation accuracy after {epochs} epochs: {history!["val_accuracy"][^1]:F4} (the guide: 99+% after ~30)");

/// <summary>The guide's CharacterTable: one-hot encodes strings over a fixed alphabet and decodes them back.</summary>
internal sealed class CharacterTable(string chars)
{
    // self.chars = sorted(set(chars))
    private readonly char[] _chars = [.. chars.Distinct().Order()];

    /// <summary>One-hot rows, one per character of each string, padded with zero rows to <paramref name="numRows"/>:
    /// [strings, numRows, characters] (the guide encodes one string at a time into a preallocated array).</summary>
    public Tensor Encode(IReadOnlyList<string> strings, int numRows)
    {
        int width = _chars.Length;
        var x = new float[strings.Count * numRows * width];
        for (int s = 0; s < strings.Count; s++)
            for (int i = 0; i < strings[s].Length; i++)
                x[(s * numRows + i) * width + Array.IndexOf(_chars, strings[s][i])] = 1;
        return tensor(x).view(strings.Count, numRows, width);
    }

    /// <summary>The characters of one-hot or probability rows (argmax), or of indices when <paramref name="calcArgmax"/> is false.</summary>
    public string Decode(Tensor x, bool calcArgmax = true)
    {
        if (calcArgmax) x = x.argmax(-1);
        return new string(x.data<long>().Select(i => _chars[i]).ToArray());
    }
}
