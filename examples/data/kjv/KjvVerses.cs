using System.IO.Compression;

/// <summary>
/// The King James Version's 31,102 verses (examples/data/kjv/kjv.tsv.gz, public domain; see its NOTICE), shared by the
/// text examples, and the IMDB-like folder layout keras.io's text examples read with text_dataset_from_directory.
/// </summary>
internal static class KjvVerses
{
    /// <summary>One verse: its testament ("old" or "new"), book, chapter, verse number and text.</summary>
    public sealed record Verse(string Testament, string Book, int Chapter, int Number, string Text);

    /// <summary>Reads every verse from the gzip file shipped beside the example.</summary>
    public static IReadOnlyList<Verse> Load(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var verses = new List<Verse>(31_102);
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            var f = line.Split('\t');
            verses.Add(new Verse(f[0], f[1], int.Parse(f[2]), int.Parse(f[3]), f[4]));
        }
        return verses;
    }

    /// <summary>
    /// Writes a balanced Old/New Testament task as aclImdb lays out its reviews: root/train/{new,old}/N.txt and
    /// root/test/{new,old}/N.txt, one verse per file; as many Old Testament verses (drawn with <paramref name="seed"/>)
    /// as there are New Testament ones, a fifth of each class in test.
    /// </summary>
    public static void WriteClassificationFolders(IReadOnlyList<Verse> verses, string root, int seed)
    {
        var random = new Random(seed);
        var byTestament = verses.GroupBy(v => v.Testament).ToDictionary(g => g.Key, g => g.OrderBy(_ => random.Next()).ToList());
        int perClass = byTestament.Values.Min(v => v.Count);
        foreach (var (testament, list) in byTestament)
        {
            var chosen = list.Take(perClass).ToList();
            int test = perClass / 5;
            for (int i = 0; i < chosen.Count; i++)
            {
                string folder = Path.Combine(root, i < test ? "test" : "train", testament);
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, $"{i}.txt"), chosen[i].Text);
            }
        }
    }
}
