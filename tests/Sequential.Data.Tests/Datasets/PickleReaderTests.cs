using System.Text;

namespace Sequential.Data.Tests.Datasets;

public sealed class PickleReaderTests
{
    private const string Name = "evil.npz/x.npy";

    private static InvalidDataException Rejects(byte[] pickle)
        => Assert.Throws<InvalidDataException>(() => PickleReader.Load(pickle, Name))!;

    [Test]
    public void Load_Python3CifarStyleDictionary_ReadsKeysListsAndArray()
    {
        var dict = (Dictionary<string, object?>)PickleReader.Load(NumpyReferenceFiles.CifarStyleDictProtocol3, Name)!;

        Assert.That(dict.Keys, Is.EquivalentTo(new[] { "batch_label", "labels", "data", "filenames" }));
        Assert.That(((PickleList)dict["labels"]!).Integers, Is.EqualTo(new long[] { 3, 8 }));
        var data = (NumpyArray)dict["data"]!;
        Assert.That(data.Shape, Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(data.Dtype.ToString(), Is.EqualTo("'|u1'"));
        Assert.That(data.Data.ToArray(), Is.EqualTo(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        Assert.That(PickleReader.AsText(dict["batch_label"]), Is.EqualTo("testing batch 1 of 1"));
    }

    [Test]
    public void Load_Python2Protocol2Dictionary_ReadsStrAsBytes()
    {
        byte[] pixels = [.. Enumerable.Range(0, 3072).Select(i => (byte)i)];
        var pickle = NumpyTestFiles.CifarPickle(pixels, [("labels", [7])], python2: true);

        var dict = (Dictionary<string, object?>)PickleReader.Load(pickle, Name)!;

        var data = (NumpyArray)dict["data"]!;
        Assert.That(data.Shape, Is.EqualTo(new long[] { 1, 3072 }));
        Assert.That(data.Data.ToArray(), Is.EqualTo(pixels));
        Assert.That(((PickleList)dict["labels"]!).Integers, Is.EqualTo(new long[] { 7 }));
        Assert.That(dict["filenames"], Is.InstanceOf<PickleList>());
    }

    [TestCase("os", "system")]
    [TestCase("builtins", "eval")]
    [TestCase("subprocess", "Popen")]
    [TestCase("numpy", "load")]
    public void Load_ForbiddenGlobal_IsRejectedNamingIt(string module, string name)
    {
        // What a __reduce__ gadget pickles: os.system("touch marker").
        var pickle = PickleBuilder.Start().Global(module, name).Text("touch marker").Tuple(1).Op('R').Stop();

        var e = Rejects(pickle);

        Assert.That(e.Message, Does.Contain(Name).And.Contain($"'{module}.{name}'").And.Contain("nothing was run"));
        Assert.That(e.Message, Does.Contain("at byte 2"));
    }

    [Test]
    public void Load_ForbiddenStackGlobal_IsRejected()
    {
        var pickle = PickleBuilder.Start(4).Raw(0x8C, 8).Raw(Encoding.ASCII.GetBytes("builtins")).Raw(0x94)
            .Raw(0x8C, 4).Raw(Encoding.ASCII.GetBytes("exec")).Raw(0x94).Raw(0x93).Stop();

        Assert.That(Rejects(pickle).Message, Does.Contain("'builtins.exec'"));
    }

    [TestCase((byte)0x81, "NEWOBJ")]
    [TestCase((byte)'i', "INST")]
    [TestCase((byte)'S', "STRING")]
    [TestCase((byte)0x82, "extension")]
    public void Load_OpcodeOutsideTheAllowedSet_IsRejected(byte opcode, string name)
        => Assert.That(Rejects(PickleBuilder.Start().Raw(opcode).Stop()).Message,
            Does.Contain(name).And.Contain($"0x{opcode:X2}").And.Contain(Name));

    [Test]
    public void Load_ReduceOfAnAllowedGlobalOtherThanDtypeOrReconstruct_IsRejected()
    {
        // numpy.ndarray is allowed as _reconstruct's argument, but calling it is not.
        var pickle = PickleBuilder.Start().Global("numpy", "ndarray").Int(5).Tuple(1).Op('R').Stop();
        Assert.That(Rejects(pickle).Message, Does.Contain("REDUCE calls numpy's NdArray"));
    }

    [Test]
    public void Load_Truncated_NamesTheFile()
    {
        byte[] whole = NumpyReferenceFiles.CifarStyleDictProtocol3;
        var e = Rejects(whole[..(whole.Length / 2)]);
        Assert.That(e.Message, Does.Contain(Name).And.Contain("truncated"));
    }

    [Test]
    public void Load_BytesClaimingMoreThanTheFile_IsRejectedBeforeAllocating()
    {
        // BINBYTES with a length of 2^31 - 1 and nothing after it.
        var e = Rejects(PickleBuilder.Start().Raw((byte)'B', 0xFF, 0xFF, 0xFF, 0x7F).Unterminated());
        Assert.That(e.Message, Does.Contain("claims 2147483647 bytes but only 0 remain"));
    }

    [Test]
    public void Load_BinBytes8ClaimingAnExabyte_IsRejected()
    {
        var e = Rejects(PickleBuilder.Start(4).Raw(0x8E, 0, 0, 0, 0, 0, 0, 0, 0x10).Unterminated());
        Assert.That(e.Message, Does.Contain("claims 1152921504606846976 bytes"));
    }

    [Test]
    public void Load_DeeplyNestedMarks_AreRejected()
    {
        var builder = PickleBuilder.Start();
        for (int i = 0; i <= PickleReader.MaxMarkDepth; i++) builder.Op('(');
        Assert.That(Rejects(builder.Stop()).Message, Does.Contain($"more than {PickleReader.MaxMarkDepth} MARKs"));
    }

    [Test]
    public void Load_IntegerWiderThan64Bits_IsRejected()
        => Assert.That(Rejects(PickleBuilder.Start().Raw(0x8A, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0).Stop()).Message,
            Does.Contain("9-byte integer"));

    [Test]
    public void Load_RecallOfAMissingMemoEntry_IsRejected()
        => Assert.That(Rejects(PickleBuilder.Start().Raw((byte)'h', 7).Stop()).Message, Does.Contain("memo entry 7"));

    [Test]
    public void Load_ObjectArrayWhoseListIsShorterThanItsShape_IsRejected()
    {
        var pickle = PickleBuilder.Start()
            .Array("O8", '|', [3], b => b.List(new long[][] { [1], [2] }, (items, s) => items.IntList(s))).Stop();
        Assert.That(Rejects(pickle).Message, Does.Contain("shape (3,) holds 2 items, not 3"));
    }

    [Test]
    public void Load_NumericArrayWithTooFewDataBytes_IsRejected()
    {
        var pickle = PickleBuilder.Start().Array("f8", '<', [1000000, 1000000], b => b.Bytes(new byte[16])).Stop();
        Assert.That(Rejects(pickle).Message, Does.Contain("needs 8000000000000 bytes but its data holds 16"));
    }

    [Test]
    public void Load_BigEndianArray_IsRejectedWithTheFix()
    {
        var pickle = PickleBuilder.Start().Array("f8", '>', [1], b => b.Bytes(new byte[8])).Stop();
        Assert.That(Rejects(pickle).Message, Does.Contain("big-endian").And.Contain("newbyteorder"));
    }

    [TestCase(255L)]
    [TestCase(65535L)]
    [TestCase(-1L)]
    [TestCase(2147483648L)]
    [TestCase(-2147483649L)]
    [TestCase(long.MinValue)]
    [TestCase(long.MaxValue)]
    public void Load_Integers_RoundTripEveryEncoding(long value)
        => Assert.That(PickleReader.Load(PickleBuilder.Start().Int(value).Stop(), Name), Is.EqualTo(value));

    [Test]
    public void Load_IntegerRunEndingInTuple_IsReadByTheGeneralLoop()
    {
        // [ (1, 2, 70000) ]: a MARK and integers over a list, as in the fast path, but closed by TUPLE, then APPEND.
        var pickle = PickleBuilder.Start().Op(']').Op('(').Int(1).Int(2).Int(70000).Op('t').Op('a').Stop();

        var list = (PickleList)PickleReader.Load(pickle, Name)!;

        Assert.That(list.Count, Is.EqualTo(1));
        Assert.That((object?[])list[0]!, Is.EqualTo(new object[] { 1L, 2L, 70000L }));
    }

    [Test]
    public void Load_IntegerRunCutShort_IsTruncated()
    {
        var pickle = PickleBuilder.Start().Op(']').Op('(').Int(1).Int(300).Unterminated();
        Assert.That(Rejects(pickle[..^1]).Message, Does.Contain("truncated"));
    }

    [Test]
    public void Load_ProtocolZeroTextIntegersAndMemo_AreRead()
    {
        // Protocol 0: MARK LIST, PUT 0, INT 1 APPEND, INT -5 APPEND, LONG APPEND, POP, then GET 0 pushes the list back.
        var pickle = Encoding.ASCII.GetBytes("(lp0\nI1\naI-5\naL12345678901L\na0g0\n.");

        var list = (PickleList)PickleReader.Load(pickle, Name)!;

        Assert.That(list.Integers, Is.EqualTo(new long[] { 1, -5, 12345678901 }));
    }
}
