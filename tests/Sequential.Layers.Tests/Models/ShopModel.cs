using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>DESIGN.md's "shop" model, small: an image and meta data in, a kind (3 classes) and a price out; and data for it
/// whose price the model can learn.</summary>
internal static class ShopModel
{
    /// <summary>Inputs image (4, 4, 1) and meta (3); outputs kind (3 logits) and price (1), from their concatenation.</summary>
    public static Model Build()
    {
        var image = new Input(shape: [4, 4, 1], name: "image");
        var meta = new Input(shape: [3], name: "meta");
        var h = new Concatenate().Apply(new Flatten().Apply(image), meta);
        var kind = new Dense(3, name: "kind").Apply(h);
        var price = new Dense(1, name: "price").Apply(h);
        return new Model([image, meta], [kind, price], name: "shop");
    }

    /// <summary><paramref name="n"/> samples by input and output name, the same for the same n.</summary>
    public static (Dictionary<string, Tensor> X, Dictionary<string, Tensor> Y) Data(int n)
    {
        var generator = new Generator(3);
        var xi = rand(new long[] { n, 4, 4, 1 }, generator: generator);
        var xm = randn(new long[] { n, 3 }, generator: generator);
        var yk = randint(0, 3, [n], generator: generator);
        var yp = xm.sum(1, keepdim: true) + xi.mean([1, 2, 3]).unsqueeze(1);
        return (new() { ["image"] = xi, ["meta"] = xm }, new() { ["kind"] = yk, ["price"] = yp });
    }
}
