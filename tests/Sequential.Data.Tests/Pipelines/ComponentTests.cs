using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class ComponentTests
{
    [Test]
    public void ReadingTheWrongKind_SaysWhatItHolds()
    {
        using var t = torch.zeros(2, 3);
        Component tensor = t;
        var e = Assert.Throws<InvalidOperationException>(() => _ = tensor.Strings)!;
        Assert.That(e.Message, Is.EqualTo("This component holds float32 (2, 3), not strings; read Tensor instead of Strings."));
        Component strings = new StringTensor(new[] { "a" });
        e = Assert.Throws<InvalidOperationException>(() => _ = strings.Tensor)!;
        Assert.That(e.Message, Is.EqualTo("This component holds strings (1,), not a tensor; read Strings instead of Tensor."));
    }

    [Test]
    public void Dictionaries_RefuseDuplicateAndMissingNames()
    {
        var dict = new Component(new Dictionary<string, Tensor> { ["a"] = torch.zeros(1) });
        var missing = Assert.Throws<KeyNotFoundException>(() => _ = dict["b"])!;
        Assert.That(missing.Message, Is.EqualTo("This dictionary component has no entry 'b'; its names are 'a'."));
        var duplicate = Assert.Throws<ArgumentException>(() => new Component(
            [new KeyValuePair<string, Component>("a", torch.zeros(1)), new("a", torch.zeros(1))]))!;
        Assert.That(duplicate.Message, Does.StartWith("The name 'a' appears twice in a dictionary component; names must be unique."));
        Assert.Throws<ArgumentException>(() => new Component([new KeyValuePair<string, Component>("", torch.zeros(1))]));
    }
}
