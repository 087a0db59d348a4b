namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Cache(string)"/>: when the file exists, each pass reads it (the input is not run); otherwise a
/// pass runs the input, hands its elements on and writes them to the file, which appears, complete, only when the
/// pass completes (tf.data's file cache; a later run of the program reuses the file).
/// </summary>
internal sealed class FileCacheDataset(Dataset input, string path) : Dataset
{
    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality() => input.Cardinality();

    internal override IEnumerator<Element> Open() => File.Exists(path) ? ReadPass() : WritePass();

    private IEnumerator<Element> ReadPass()
    {
        using var reader = new CacheFileReader(path);
        for (long i = 0; i < reader.Count; i++)
            yield return reader.Read();
    }

    private IEnumerator<Element> WritePass()
    {
        using var writer = new CacheFileWriter(path);
        using var source = input.Open();
        while (source.MoveNext())
        {
            var element = source.Current;
            try
            {
                writer.Write(element);
            }
            catch
            {
                element.DisposeTensors();
                throw;
            }
            yield return element;
        }
        writer.Commit();
    }
}
