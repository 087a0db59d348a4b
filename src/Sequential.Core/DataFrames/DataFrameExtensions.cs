using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// DataFrame helpers for tabular training: <see cref="TrainTestSplit"/> (scikit-learn's
/// <c>train_test_split</c>) and <see cref="ToTensor"/> (what the DataFrame overloads of <c>Fit</c>,
/// <c>Evaluate</c> and <c>Predict</c> use).
/// </summary>
/// <remarks>
/// These live in the <c>Sequential</c> namespace (assembly Sequential.Core), beside <c>Model</c>, because the
/// model's DataFrame overloads need the same conversion and Core cannot reference Sequential.Data;
/// <c>using Sequential;</c> is all a tabular program needs.
/// </remarks>
public static class DataFrameExtensions
{
    /// <summary>
    /// Copies numeric and bool columns into a float32 tensor <c>[rows, columns]</c>, columns in the order given.
    /// </summary>
    /// <param name="data">The frame.</param>
    /// <param name="columns">The columns to copy; default every column.</param>
    /// <param name="nullHandling">What to do with null values: throw (default) or leave those rows out.</param>
    /// <returns>A new CPU tensor; the caller owns it.</returns>
    /// <remarks>
    /// Column types byte, sbyte, short, ushort, int, uint, long, ulong, float, double, decimal and bool (true = 1) are
    /// read from the columns' typed buffers without boxing, one block of rows at a time, into one float array
    /// that becomes the tensor's storage.
    /// </remarks>
    /// <exception cref="ArgumentException">A column is missing (the message lists the frame's columns), holds strings
    /// or another unsupported type, or has nulls with <see cref="NullHandling.Error"/>; or the frame is empty.</exception>
    public static Tensor ToTensor(this DataFrame data, IReadOnlyList<string>? columns = null,
        NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(data);
        var names = columns ?? data.Columns.Select(c => c.Name).ToList();
        var selected = DataFrameConverter.FeatureColumns(data, names, [], nameof(columns));
        data = DataFrameConverter.DropNullRows(data, names, nullHandling);
        selected = DataFrameConverter.Columns(data, names, nameof(columns));
        DataFrameConverter.Check(data, selected, nullHandling);
        return DataFrameConverter.ToFloatTensor(selected, data.Rows.Count);
    }

    /// <summary>
    /// Splits the rows at random into a training and a test frame (scikit-learn's <c>train_test_split</c>):
    /// the test frame gets <c>ceil(testFraction * rows)</c> rows, the training frame the rest.
    /// </summary>
    /// <param name="data">The frame to split; it is not changed.</param>
    /// <param name="testFraction">Fraction of the rows for the test frame, in (0, 1).</param>
    /// <param name="seed">Seed of the shuffle; the same seed gives the same split. Null: <see cref="RandomSeed.Shared"/>
    /// (reproducible after <see cref="RandomSeed.Set"/>).</param>
    /// <returns>The two frames, each with every column, rows in shuffled order.</returns>
    /// <example>
    /// <code>
    /// var (train, test) = DataFrame.LoadCsv("heart.csv").TrainTestSplit(testFraction: 0.2, seed: 42);
    /// </code>
    /// </example>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1).</exception>
    /// <exception cref="ArgumentException">The frame has too few rows to give both parts at least one.</exception>
    public static (DataFrame train, DataFrame test) TrainTestSplit(this DataFrame data, double testFraction = 0.25, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                $"testFraction must be in (0, 1), e.g. 0.2 for 20% test rows; got {testFraction}.");
        long rows = data.Rows.Count;
        long testRows = (long)Math.Ceiling(testFraction * rows);
        long trainRows = rows - testRows;
        if (testRows < 1 || trainRows < 1)
            throw new ArgumentException(
                $"testFraction {testFraction} of {rows} rows gives {trainRows} training and {testRows} test rows; both need at least one.",
                nameof(data));
        var order = new long[rows];
        for (long i = 0; i < rows; i++) order[i] = i;
        (seed is { } s ? new Random(s) : RandomSeed.Shared).Shuffle(order);
        var test = new PrimitiveDataFrameColumn<long>("rows", order.Take((int)testRows));
        var train = new PrimitiveDataFrameColumn<long>("rows", order.Skip((int)testRows));
        return (data.Filter(train), data.Filter(test));
    }
}
