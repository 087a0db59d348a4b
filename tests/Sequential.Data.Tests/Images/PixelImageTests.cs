namespace Sequential.Data.Tests;

public sealed class PixelImageTests
{
    [Test]
    public void ConstructorChecksSizesModeAndByteCount()
    {
        var img = new PixelImage(2, 3, "grayscale", new byte[6]);
        Assert.That((img.Channels, img.Size, img.Pixels.Length), Is.EqualTo((1, (3, 2), 6)));
        Assert.That(Assert.Throws<ArgumentException>(() => new PixelImage(2, 3, "rgb", new byte[6]))!.Message,
            Does.Contain("a 2x3 rgb image has 18 bytes; got 6"));
        Assert.That(Assert.Throws<ArgumentException>(() => new PixelImage(2, 3, "bgr", new byte[18]))!.Message,
            Does.Contain("color_mode must be \"grayscale\", \"rgb\", or \"rgba\"; got \"bgr\""));
        Assert.That(Assert.Throws<ArgumentException>(() => new PixelImage(0, 3, "rgb", []))!.Message,
            Does.Contain("height and width must be positive; got 0x3"));
    }
}
