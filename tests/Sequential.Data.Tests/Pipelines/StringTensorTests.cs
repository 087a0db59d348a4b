namespace Sequential.Data.Tests.Pipelines;

public sealed class StringTensorTests
{
    [Test]
    public void ShapesAndValues()
    {
        var one = new StringTensor("hi");
        Assert.That(one.Shape, Is.Empty);
        Assert.That(one.Value, Is.EqualTo("hi"));
        var grid = new StringTensor(new[] { "a", "b", "c", "d", "e", "f" }, new long[] { 2, 3 });
        Assert.That(grid.Count, Is.EqualTo(6));
        Assert.That(grid[4], Is.EqualTo("e"));
        Assert.That(grid.ToString(), Is.EqualTo("strings (2, 3)"));
        var e = Assert.Throws<InvalidOperationException>(() => _ = grid.Value)!;
        Assert.That(e.Message, Does.StartWith("This StringTensor has shape (2, 3); Value reads a single string (shape ())."));
    }

    [Test]
    public void BadShapesAndNulls_AreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new StringTensor(new[] { "a", "b" }, new long[] { 3 }))!;
        Assert.That(e.Message, Does.StartWith("A StringTensor of shape (3,) holds 3 strings; got 2."));
        e = Assert.Throws<ArgumentException>(() => new StringTensor(new[] { "a", null! }))!;
        Assert.That(e.Message, Does.StartWith("A StringTensor cannot hold null strings; the string at index 1 is null."));
        Assert.Throws<ArgumentException>(() => new StringTensor(new[] { "a" }, new long[] { -1 }));
    }

    [Test]
    public void TheValuesAreCopied()
    {
        var values = new[] { "a", "b" };
        var strings = new StringTensor(values);
        values[0] = "z";
        Assert.That(strings, Is.EqualTo(new[] { "a", "b" }));
    }
}
