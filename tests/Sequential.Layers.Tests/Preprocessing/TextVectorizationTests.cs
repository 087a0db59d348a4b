using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class TextVectorizationTests
{
    private static long[,] Ints(Tensor t)
    {
        Assert.That(t.dtype, Is.EqualTo(ScalarType.Int64));
        var values = t.data<long>().ToArray();
        var result = new long[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(long));
        return result;
    }

    private static float[,] Floats(Tensor t)
    {
        Assert.That(t.dtype, Is.EqualTo(ScalarType.Float32));
        var values = t.data<float>().ToArray();
        var result = new float[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    [Test]
    public void KerasDocstring_AdaptFlow()
    {
        // Keras: adapt(["foo bar", "bar baz", "baz bada boom"]); layer([["foo qux bar"], ["qux baz"]]) -> [[4, 1, 3, 0], [1, 2, 0, 0]]
        var layer = new TextVectorization(maxTokens: 5000, outputMode: "int", outputSequenceLength: 4);
        layer.Adapt(["foo bar", "bar baz", "baz bada boom"]);
        using var output = layer.Apply(["foo qux bar", "qux baz"]);
        Assert.That(Ints(output), Is.EqualTo(new long[,] { { 4, 1, 3, 0 }, { 1, 2, 0, 0 } }));
        // counts bar 2, baz 2, then 1 each; ties by the token, descending.
        Assert.That(layer.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "baz", "bar", "foo", "boom", "bada" }));
    }

    [Test]
    public void KerasDocstring_GivenVocabulary_GetVocabularyHasPaddingAndOov()
    {
        var layer = new TextVectorization(maxTokens: 5000, outputMode: "int", outputSequenceLength: 4,
            vocabulary: ["earth", "wind", "and", "fire"]);
        Assert.That(layer.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "earth", "wind", "and", "fire" }));
        Assert.That(layer.GetVocabulary(includeSpecialTokens: false), Is.EqualTo(new[] { "earth", "wind", "and", "fire" }));
        Assert.That(layer.VocabularySize(), Is.EqualTo(6));
    }

    [Test]
    public void KerasTest_FixedAndSetVocabulary()
    {
        var fixedVocabulary = new TextVectorization(maxTokens: 5000, outputSequenceLength: 4, vocabulary: ["baz", "bar", "foo"]);
        Assert.That(Ints(fixedVocabulary.Apply(["foo qux bar", "qux baz"])), Is.EqualTo(new long[,] { { 4, 1, 3, 0 }, { 1, 2, 0, 0 } }));
        var set = new TextVectorization(maxTokens: 5000, outputSequenceLength: 4);
        set.SetVocabulary(["baz", "bar", "foo"]);
        Assert.That(Ints(set.Apply(["foo qux bar", "qux baz"])), Is.EqualTo(new long[,] { { 4, 1, 3, 0 }, { 1, 2, 0, 0 } }));
        var again = new TextVectorization(vocabulary: set.GetVocabulary());
        Assert.That(again.GetVocabulary(), Is.EqualTo(set.GetVocabulary()));
    }

    [Test]
    public void KerasTest_MultiHotCountTfIdf()
    {
        var multiHot = new TextVectorization(outputMode: "multi_hot", vocabulary: ["foo", "bar", "baz"]);
        Assert.That(Floats(multiHot.Apply(["foo bar", "baz foo foo"])), Is.EqualTo(new float[,] { { 0, 1, 1, 0 }, { 0, 1, 0, 1 } }));
        var count = new TextVectorization(outputMode: "count", vocabulary: ["foo", "bar", "baz"]);
        Assert.That(Floats(count.Apply(["foo bar", "baz foo foo"])), Is.EqualTo(new float[,] { { 0, 1, 1, 0 }, { 0, 2, 0, 1 } }));
        var tfIdf = new TextVectorization(outputMode: "tf_idf", vocabulary: ["foo", "bar", "baz"], idfWeights: [0.3, 0.5, 0.2]);
        Assert.That(Floats(tfIdf.Apply(["foo bar", "baz foo foo"])),
            Is.EqualTo(new float[,] { { 0, 0.3f, 0.5f, 0 }, { 0, 0.6f, 0, 0.2f } }).Within(1e-6));
        // Without special entries Keras gives [UNK] the mean weight.
        Assert.That(Floats(tfIdf.Apply(["zzz"]))[0, 0], Is.EqualTo((0.3f + 0.5f + 0.2f) / 3).Within(1e-6));
    }

    [Test]
    public void Adapt_TfIdf_LearnsKerasInverseDocumentFrequencies()
    {
        // Keras: idf = log(1 + num_documents / (1 + document_count)); [UNK] gets their mean.
        var layer = new TextVectorization(outputMode: "tf_idf");
        layer.Adapt(["foo bar bar", "bar baz", "baz bada boom", ""]);
        Assert.That(layer.GetVocabulary(), Is.EqualTo(new[] { "[UNK]", "bar", "baz", "foo", "boom", "bada" }));
        double two = Math.Log(1 + 4.0 / 3), one = Math.Log(1 + 4.0 / 2);
        var expected = new[] { (two * 2 + one * 3) / 5, two, two, one, one, one };
        Assert.That(layer.IdfWeights!.Select(w => (double)w), Is.EqualTo(expected).Within(1e-6));
        Assert.That(Floats(layer.Apply(["bar bar foo"])), Is.EqualTo(new float[,] { { 0, (float)(2 * two), 0, (float)one, 0, 0 } }).Within(1e-6));
    }

    [Test]
    public void KerasTest_Standardizations()
    {
        var both = new TextVectorization(standardize: "lower_and_strip_punctuation", vocabulary: ["hello", "world", "this", "is", "nice", "test"]);
        Assert.That(Ints(both.Apply(["Hello, World!. This is just a nice test!"])), Is.EqualTo(new long[,] { { 2, 3, 4, 5, 1, 1, 6, 7 } }));
        var lower = new TextVectorization(standardize: "lower", vocabulary: ["hello,", "hello", "world", "this", "is", "nice", "test"]);
        Assert.That(Ints(lower.Apply(["Hello, World!. This is just a nice test!"])), Is.EqualTo(new long[,] { { 2, 1, 5, 6, 1, 1, 7, 1 } }));
        var strip = new TextVectorization(standardize: "strip_punctuation", vocabulary: ["Hello", "World", "Test"]);
        Assert.That(Ints(strip.Apply(["Hello, World! Test."])), Is.EqualTo(new long[,] { { 2, 3, 4 } }));
        var none = new TextVectorization(standardize: null, vocabulary: ["Hello", "world"]);
        Assert.That(Ints(none.Apply(["Hello hello"])), Is.EqualTo(new long[,] { { 2, 1 } }));
        var custom = new TextVectorization(standardizeFunction: s => s.Replace('-', ' '), vocabulary: ["foo", "bar"]);
        Assert.That(Ints(custom.Apply(["foo-bar"])), Is.EqualTo(new long[,] { { 2, 3 } }));
    }

    [Test]
    public void StripPunctuation_RemovesEveryAsciiSymbolOfKerasRegex_InsideWordsToo()
    {
        // Keras's class is string.punctuation; ",-\." there is a range that holds exactly , - and .
        var layer = new TextVectorization(vocabulary: ["x"]);
        var all = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        Assert.That(Ints(layer.Apply([$"x{all}x", all])), Is.EqualTo(new long[,] { { 1 }, { 0 } }));
        layer.SetVocabulary(["xx"]);
        Assert.That(Ints(layer.Apply([$"x{all}x"])), Is.EqualTo(new long[,] { { 2 } }));
    }

    [Test]
    public void NonAscii_AsKerasOnTensorFlow_LowercasesAsciiOnly_KeepsOtherSymbols_SplitsOnAsciiWhitespace()
    {
        var layer = new TextVectorization();
        layer.Adapt(["ÉLAN Élan élan", "naïve—café « x »", "a\u00A0b c\u3000d"]);
        var vocabulary = layer.GetVocabulary(includeSpecialTokens: false);
        // tf.strings.lower maps A-Z only: "ÉLAN" -> "Élan"; the em dash, guillemets and no-break spaces stay.
        Assert.That(vocabulary, Does.Contain("Élan"));
        Assert.That(vocabulary, Does.Contain("élan"));
        Assert.That(vocabulary, Does.Not.Contain("élan élan"));
        Assert.That(vocabulary, Does.Contain("naïve—café"));
        Assert.That(vocabulary, Does.Contain("«"));
        Assert.That(vocabulary, Does.Contain("a\u00A0b"));
        Assert.That(vocabulary, Does.Contain("c\u3000d"));
        Assert.That(vocabulary[0], Is.EqualTo("Élan"));   // counted twice
    }

    [Test]
    public void EmptyDocuments_HaveNoTokens_RowsArePadding()
    {
        var layer = new TextVectorization(vocabulary: ["a"]);
        Assert.That(Ints(layer.Apply(["", "  ", "a"])), Is.EqualTo(new long[,] { { 0 }, { 0 }, { 2 } }));
        using var none = layer.Apply(["", "..."]);
        Assert.That(none.shape, Is.EqualTo(new long[] { 2, 0 }));
        using var empty = layer.Apply(Array.Empty<string>());
        Assert.That(empty.shape, Is.EqualTo(new long[] { 0, 0 }));
        var fixedLength = new TextVectorization(vocabulary: ["a"], outputSequenceLength: 3);
        Assert.That(Ints(fixedLength.Apply(["", "a a a a"])), Is.EqualTo(new long[,] { { 0, 0, 0 }, { 2, 2, 2 } }));
        var counts = new TextVectorization(outputMode: "count", vocabulary: ["a"]);
        Assert.That(Floats(counts.Apply([""])), Is.EqualTo(new float[,] { { 0, 0 } }));
    }

    [Test]
    public void Adapt_OnlyEmptyDocuments_Throws()
    {
        var layer = new TextVectorization();
        var e = Assert.Throws<ArgumentException>(() => layer.Adapt(["", "?!"]));
        Assert.That(e!.Message, Does.Contain("needs at least one token"));
    }

    [Test]
    public void KerasTest_CharacterAndCustomSplit()
    {
        var chars = new TextVectorization(split: "character", vocabulary: ["a", "b", "c", "d", "e"]);
        Assert.That(Ints(chars.Apply(["abcf"])), Is.EqualTo(new long[,] { { 2, 3, 4, 1 } }));
        // Keras: the custom split runs after the default standardization, which already removed "|".
        var custom = new TextVectorization(splitFunction: s => s.Split('|'), vocabulary: ["foo", "bar", "foobar"]);
        Assert.That(Ints(custom.Apply(["foo|bar"])), Is.EqualTo(new long[,] { { 4 } }));
    }

    [Test]
    public void CharacterSplit_KeepsSurrogatePairs_AndSpaces()
    {
        var layer = new TextVectorization(split: "character", standardize: null);
        layer.Adapt(["a😀 b"]);
        Assert.That(layer.GetVocabulary(includeSpecialTokens: false), Is.EquivalentTo(new[] { "a", "😀", " ", "b" }));
    }

    [Test]
    public void KerasTest_NoSplit_EachDocumentIsOneToken()
    {
        var layer = new TextVectorization(split: null, vocabulary: ["foo", "bar", "baz"]);
        Assert.That(Ints(layer.Apply(["foo", "bar", "unknown", ""])), Is.EqualTo(new long[,] { { 2 }, { 3 }, { 1 }, { 0 } }));
        var padded = new TextVectorization(split: null, vocabulary: ["foo", "bar", "baz"], outputSequenceLength: 4);
        Assert.That(Ints(padded.Apply(["foo", "baz"])), Is.EqualTo(new long[,] { { 2, 0, 0, 0 }, { 4, 0, 0, 0 } }));
    }

    [Test]
    public void KerasTest_Ngrams()
    {
        var two = new TextVectorization(ngrams: 2);
        two.Adapt(["foo bar baz"]);
        Assert.That(two.GetVocabulary(), Does.Contain("foo bar").And.Contain("bar baz"));
        Assert.That(two.Ngrams, Is.EqualTo(new[] { 1, 2 }));
        var widths = new TextVectorization(ngramWidths: [1, 3]);
        widths.Adapt(["foo bar baz"]);
        Assert.That(widths.GetVocabulary(), Does.Contain("foo").And.Contain("foo bar baz").And.Not.Contain("foo bar"));
    }

    [Test]
    public void Ngrams_ListedWidthByWidth_AsTfStringsNgrams()
    {
        // tf.strings.ngrams(["a", "b", "c"], (1, 2)) -> a, b, c, "a b", "b c"; widths longer than the text give nothing.
        var layer = new TextVectorization(ngrams: 2, vocabulary: ["a", "b", "c", "a b", "b c"]);
        Assert.That(Ints(layer.Apply(["a b c", "c"])), Is.EqualTo(new long[,] { { 2, 3, 4, 5, 6 }, { 4, 0, 0, 0, 0 } }));
        var reversed = new TextVectorization(ngramWidths: [2, 1], vocabulary: ["a", "b", "a b"]);
        Assert.That(Ints(reversed.Apply(["a  b"])), Is.EqualTo(new long[,] { { 4, 2, 3 } }));
    }

    [Test]
    public void KerasTest_MaxTokensAndPadToMaxTokens()
    {
        var layer = new TextVectorization(maxTokens: 5);
        layer.Adapt(["a b c d e f g h i j"]);
        Assert.That(layer.GetVocabulary(), Has.Count.EqualTo(5));
        Assert.That(layer.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "j", "i", "h" }));
        var padded = new TextVectorization(outputMode: "multi_hot", vocabulary: ["foo", "bar"], maxTokens: 8, padToMaxTokens: true);
        Assert.That(Floats(padded.Apply(["foo bar"])), Is.EqualTo(new float[,] { { 0, 1, 1, 0, 0, 0, 0, 0 } }));
    }

    [Test]
    public void Adapt_TiesOrderedByUtf8Bytes_NotUtf16Units()
    {
        // U+1F600 (UTF-16 D83D DE00) sorts after U+FF21 in UTF-8 (F0.. > EF..) but before it in UTF-16; descending, it comes first.
        var layer = new TextVectorization(standardize: null);
        layer.Adapt(["\uFF21 😀 z"]);
        Assert.That(layer.GetVocabulary(includeSpecialTokens: false), Is.EqualTo(new[] { "😀", "\uFF21", "z" }));
    }

    [Test]
    public void Adapt_Again_ReplacesTheVocabulary_AndDataFrameColumn()
    {
        var layer = new TextVectorization();
        layer.Adapt(["one two"]);
        var frame = new DataFrame(new StringDataFrameColumn("text", ["red green", "green"]), new Int32DataFrameColumn("label", [1, 0]));
        layer.Adapt(frame, "text");
        Assert.That(layer.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "green", "red" }));
        var e = Assert.Throws<ArgumentException>(() => layer.Adapt(frame, "label"));
        Assert.That(e!.Message, Does.Contain("TextVectorization reads string columns"));
    }

    [Test]
    public void Apply_OneDocument_IsOneDimensional()
    {
        var layer = new TextVectorization(vocabulary: ["a", "b"], outputSequenceLength: 3);
        using var ids = layer.Apply("b a");
        Assert.That(ids.shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(ids.data<long>().ToArray(), Is.EqualTo(new long[] { 3, 2, 0 }));
    }

    [Test]
    public void BeforeAdapt_WithoutVocabulary_Throws_NamingTheFix()
    {
        var layer = new TextVectorization();
        var e = Assert.Throws<InvalidOperationException>(() => layer.Apply(["text"]));
        Assert.That(e!.Message, Is.EqualTo(
            "TextVectorization has no vocabulary: call Adapt(trainingData) or pass vocabulary: [...] to its constructor first."));
    }

    [Test]
    public void BadArguments_Throw_WithKerasMessages()
    {
        var length = Assert.Throws<ArgumentException>(() => new TextVectorization(outputMode: "multi_hot", outputSequenceLength: 5));
        Assert.That(length!.Message, Does.StartWith("outputSequenceLength must not be set if outputMode is not \"int\"."));
        var standardize = Assert.Throws<ArgumentException>(() => new TextVectorization(standardize: "upper"));
        Assert.That(standardize!.Message, Does.StartWith("Unknown standardize \"upper\" for TextVectorization; accepted: \"lower_and_strip_punctuation\""));
        Assert.Throws<ArgumentException>(() => new TextVectorization(split: "comma"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextVectorization(ngrams: 0));
        Assert.Throws<ArgumentException>(() => new TextVectorization(outputMode: "one_hot"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextVectorization(maxTokens: 2));
        var given = new TextVectorization(vocabulary: ["a"]);
        Assert.Throws<InvalidOperationException>(() => given.Adapt(["a"]));
        var vocabulary = Assert.Throws<ArgumentException>(() => new TextVectorization(vocabulary: ["a", "", "b"]));
        Assert.That(vocabulary!.Message, Does.Contain("found the mask token \"\" at an unexpected place"));
    }

    [Test]
    public void NullDocumentsAndFunctionResults_Throw()
    {
        var layer = new TextVectorization(vocabulary: ["a"]);
        var e = Assert.Throws<ArgumentException>(() => layer.Apply(["a", null!]));
        Assert.That(e!.Message, Does.StartWith("Document 1 is null"));
        var badSplit = new TextVectorization(vocabulary: ["a"], splitFunction: _ => null!);
        Assert.Throws<InvalidOperationException>(() => badSplit.Apply(["a"]));
        var badStandardize = new TextVectorization(vocabulary: ["a"], standardizeFunction: _ => null!);
        Assert.Throws<InvalidOperationException>(() => badStandardize.Apply(["a"]));
    }

    [Test]
    public void OutputsLargerThanASpan_AreWrittenRowByRow_WithTheSameValues()
    {
        var texts = new[] { "foo bar", "", "baz foo foo qux" };
        var count = new TextVectorization(outputMode: "count", vocabulary: ["foo", "bar", "baz"]);
        var ids = new TextVectorization(vocabulary: ["foo", "bar", "baz"]);
        float[,] direct = Floats(count.Apply(texts));
        long[,] directIds = Ints(ids.Apply(texts));
        long saved = TextVectorization.DirectWriteLimitBytes;
        TextVectorization.DirectWriteLimitBytes = 8;
        try
        {
            Assert.That(Floats(count.Apply(texts)), Is.EqualTo(direct));
            Assert.That(Ints(ids.Apply(texts)), Is.EqualTo(directIds));
            Assert.That(directIds, Is.EqualTo(new long[,] { { 2, 3, 0, 0 }, { 0, 0, 0, 0 }, { 4, 2, 2, 1 } }));
            Assert.That(direct, Is.EqualTo(new float[,] { { 0, 1, 1, 0 }, { 0, 0, 0, 0 }, { 1, 2, 0, 1 } }));
        }
        finally
        {
            TextVectorization.DirectWriteLimitBytes = saved;
        }
    }
}
