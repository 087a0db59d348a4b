using System.Globalization;
using System.Text;
using Sequential.IO;

namespace Sequential.Callbacks;

/// <summary>
/// Streams each epoch's logs to a CSV file (Keras's <c>keras.callbacks.CSVLogger</c>), in Keras's format: a header
/// <c>epoch,&lt;keys sorted&gt;</c>, then one row per epoch with the 0-based epoch, numbers written as Python writes
/// them (<c>0.5</c>, <c>1.0</c>, <c>1e-05</c>, <c>nan</c>), <c>NA</c> for a key an epoch did not log, and
/// <c>\r\n</c> line ends (Python's csv module).
/// </summary>
/// <remarks>
/// <para>
/// The columns are fixed by the first epoch's keys, sorted; when that epoch has no <c>val_</c> key (no validation, or
/// <c>validationFreq</c> &gt; 1) Keras adds <c>val_</c> + every key so later validation fits in, and so does this.
/// </para>
/// <para>
/// Crash safety: after every epoch the whole file is rewritten through the library's atomic write (temporary file,
/// flush to disk, rename). Appending and flushing would be cheaper, but a crash in the middle of a write could then
/// leave half a row; with the rename a reader sees the file as it was after the previous epoch or after this one,
/// never in between. The content is a few hundred bytes per epoch, so rewriting costs nothing noticeable.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// model.Fit(x, y, epochs: 10, validationSplit: 0.1, callbacks: [new CSVLogger("training.log")]);
/// </code>
/// </example>
public sealed class CSVLogger : Callback
{
    /// <summary>True: with several processes only rank 0 writes the file.</summary>
    public override bool ChiefOnly => true;

    private readonly StringBuilder _content = new();
    private List<string>? _keys;
    private bool _writeHeader;

    /// <summary>Creates the logger.</summary>
    /// <param name="filename">The CSV file; its folder is created when missing.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="append">Keep an existing file's rows and add to them (without repeating the header);
    /// false replaces the file.</param>
    public CSVLogger(string filename, string separator = ",", bool append = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filename);
        ArgumentException.ThrowIfNullOrEmpty(separator);
        Filename = filename;
        Separator = separator;
        Append = append;
    }

    /// <summary>The CSV file.</summary>
    public string Filename { get; }

    /// <summary>The field separator.</summary>
    public string Separator { get; }

    /// <summary>Whether rows are added to an existing file.</summary>
    public bool Append { get; }

    /// <summary>Reads the existing file in append mode; decides whether a header is needed.</summary>
    /// <param name="logs">Unused.</param>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        _content.Clear();
        _keys = null;
        _writeHeader = true;
        if (Append && File.Exists(Filename))
        {
            string existing = File.ReadAllText(Filename);
            _content.Append(existing);
            // Keras writes the header only when the file's first line is empty.
            _writeHeader = existing.Split('\n')[0].TrimEnd('\r').Length == 0;
        }
    }

    /// <summary>Adds the epoch's row and rewrites the file atomically.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's logs.</param>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (_keys is null)
        {
            _keys = [.. logs.Keys.Order(StringComparer.Ordinal)];
            if (_keys.Count > 0 && !_keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal)))
                _keys.AddRange(_keys.Select(k => "val_" + k).ToList());
            if (_writeHeader)
                AppendRow(["epoch", .. _keys]);
            _writeHeader = false;
        }
        AppendRow([epoch.ToString(CultureInfo.InvariantCulture),
            .. _keys.Select(k => logs.TryGetValue(k, out double v) ? PythonFormat.Str(v) : "NA")]);
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(_content.ToString());
        AtomicFile.Write(Filename, stream => stream.Write(bytes));
    }

    private void AppendRow(IEnumerable<string> fields) =>
        _content.Append(string.Join(Separator, fields.Select(Quote))).Append("\r\n");

    /// <summary>Python's csv quoting (QUOTE_MINIMAL): fields holding the separator, a quote or a line break are quoted.</summary>
    private string Quote(string field) =>
        field.Contains(Separator, StringComparison.Ordinal) || field.IndexOfAny(['"', '\r', '\n']) >= 0
            ? $"\"{field.Replace("\"", "\"\"")}\""
            : field;
}
