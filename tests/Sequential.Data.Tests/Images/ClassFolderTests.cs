namespace Sequential.Data.Tests;

public sealed class ClassFolderTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => _root = ClassFolder.RealPath(TestImages.TempDir())!;   // /tmp may itself be a link

    [TearDown]
    public void RemoveRoot()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Test]
    public void RealPathResolvesEveryLinkAsPosixRealpath()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real", "deep"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "x"), Path.Combine("real", "deep"));   // relative target
        Directory.CreateSymbolicLink(Path.Combine(_root, "abs"), Path.Combine(_root, "x"));     // a link to a link
        Assert.That(ClassFolder.RealPath(Path.Combine(_root, "x")), Is.EqualTo(Path.Combine(_root, "real", "deep")));
        Assert.That(ClassFolder.RealPath(Path.Combine(_root, "abs", "sub")), Is.EqualTo(Path.Combine(_root, "real", "deep", "sub")));
        // ".." after a link climbs from the link's target (realpath), not from the link (Path.GetFullPath).
        Assert.That(ClassFolder.RealPath(Path.Combine(_root, "x", "..", "y")), Is.EqualTo(Path.Combine(_root, "real", "y")));
        Assert.That(Path.GetFullPath(Path.Combine(_root, "x", "..", "y")), Is.EqualTo(Path.Combine(_root, "y")));
    }

    [Test]
    public void RealPathOfALinkLoopIsNull()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "l1"), "l2");
        Directory.CreateSymbolicLink(Path.Combine(_root, "l2"), "l1");
        Assert.That(ClassFolder.RealPath(Path.Combine(_root, "l1", "x")), Is.Null);
    }
}
