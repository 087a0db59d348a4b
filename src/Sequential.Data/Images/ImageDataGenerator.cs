using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Real-time image augmentation and standardization (Keras's <c>ImageDataGenerator</c>), feeding
/// <see cref="FlowFromDirectory"/> and <see cref="Flow"/>.
/// </summary>
/// <remarks>
/// For every image, in Keras's order: the random transform (rotation, shifts, shear, zoom about the centre, with
/// bilinear sampling and <c>fillMode</c>; channel shift; flips; brightness), then <see cref="Standardize"/>:
/// <c>preprocessingFunction</c>, <c>rescale</c>, samplewise centre/std, featurewise centre/std (after <see cref="Fit"/>).
/// Keras's quirk is kept: its matrix swaps the axes, so <c>widthShiftRange</c> (scaled by the width) moves
/// the image vertically and <c>heightShiftRange</c> horizontally; on square images this makes no difference.
/// Unlike Keras, the <c>"validation"</c> subset of <see cref="FlowFromDirectory"/> is never augmented
/// (only standardized): validating on augmented images measures the augmentation, not the model.
/// </remarks>
/// <example>
/// Keras's <c>ImageDataGenerator(rescale=1./255, rotation_range=40, ..., horizontal_flip=True)</c>:
/// <code>
/// var trainGen = new ImageDataGenerator(rescale: 1f / 255, rotationRange: 40, widthShiftRange: 0.2f,
///     heightShiftRange: 0.2f, shearRange: 0.2f, zoomRange: 0.2f, horizontalFlip: true);
/// var train = trainGen.FlowFromDirectory("data/train", targetSize: (150, 150), batchSize: 20,
///     classMode: ClassMode.Binary);
/// model.Fit(train, epochs: 30, stepsPerEpoch: 100);
/// </code>
/// </example>
public sealed class ImageDataGenerator
{
    /// <summary>
    /// Default of <see cref="FlowFromDirectory"/>'s <c>maxImagePixels</c>: 89,478,485, Pillow's
    /// <c>Image.MAX_IMAGE_PIXELS</c> (its RGB bytes are 256 MiB). A larger image header is refused before decoding:
    /// a 400 KB PNG can claim 20000x20000 pixels, 1.6 GB once decoded.
    /// </summary>
    public const long DefaultMaxImagePixels = 89_478_485;

    /// <summary>
    /// Default of <see cref="FlowFromDirectory"/>'s <c>maxFileBytes</c>: 256 MiB. Each decoding thread holds one
    /// file in memory; a training image is a few MB, a photo of tens of megapixels a few tens of MB.
    /// </summary>
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Creates a generator; every argument is Keras's, in camelCase.</summary>
    /// <param name="rescale">Multiplies every pixel (after augmentation), e.g. <c>1f / 255</c>. 1 = none.</param>
    /// <param name="rotationRange">Random rotation in degrees, uniform in <c>[-r, r]</c>.</param>
    /// <param name="widthShiftRange">Random shift: below 1 a fraction of the width, otherwise pixels.</param>
    /// <param name="heightShiftRange">Random shift: below 1 a fraction of the height, otherwise pixels.</param>
    /// <param name="shearRange">Shear angle in degrees, counter-clockwise, uniform in <c>[-s, s]</c>.</param>
    /// <param name="zoomRange">A number <c>z</c> (zoom in <c>[1-z, 1+z]</c>, each axis drawn independently) or a pair <c>(lo, hi)</c>. Null = none.</param>
    /// <param name="horizontalFlip">Mirror left-right with probability 1/2.</param>
    /// <param name="verticalFlip">Mirror top-bottom with probability 1/2.</param>
    /// <param name="brightnessRange">Brightness factor drawn from <c>(lo, hi)</c> (1 = unchanged), or null.</param>
    /// <param name="channelShiftRange">Value in <c>[-r, r]</c> added to all channels, clipped to the image's range.</param>
    /// <param name="fillMode">Points outside the input: <c>"nearest"</c>, <c>"constant"</c>, <c>"reflect"</c> or <c>"wrap"</c>.</param>
    /// <param name="cval">Value for <c>fillMode: "constant"</c>.</param>
    /// <param name="featurewiseCenter">Subtract the per-channel mean of the data given to <see cref="Fit"/>.</param>
    /// <param name="featurewiseStdNormalization">Divide by the per-channel std of the data given to <see cref="Fit"/> (turns on <paramref name="featurewiseCenter"/>, as Keras).</param>
    /// <param name="samplewiseCenter">Subtract each image's mean.</param>
    /// <param name="samplewiseStdNormalization">Divide each image by its std (turns on <paramref name="samplewiseCenter"/>, as Keras).</param>
    /// <param name="preprocessingFunction">Called on each augmented image, float32 <c>[H, W, C]</c>, before rescaling; must return the same shape. Runs on worker threads.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of each class's files reserved for <c>subset: "validation"</c>.</param>
    /// <exception cref="ArgumentException">An unknown <paramref name="fillMode"/>, or a reversed range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationSplit"/> outside [0, 1), or a negative range.</exception>
    public ImageDataGenerator(double rescale = 1, double rotationRange = 0, double widthShiftRange = 0, double heightShiftRange = 0,
        double shearRange = 0, ZoomRange? zoomRange = null, bool horizontalFlip = false, bool verticalFlip = false,
        (double, double)? brightnessRange = null, double channelShiftRange = 0, string fillMode = "nearest", double cval = 0,
        bool featurewiseCenter = false, bool featurewiseStdNormalization = false, bool samplewiseCenter = false,
        bool samplewiseStdNormalization = false, Func<Tensor, Tensor>? preprocessingFunction = null, double validationSplit = 0)
    {
        foreach (var (value, name) in new[] { (rotationRange, nameof(rotationRange)), (widthShiftRange, nameof(widthShiftRange)),
                     (heightShiftRange, nameof(heightShiftRange)), (shearRange, nameof(shearRange)), (channelShiftRange, nameof(channelShiftRange)) })
        {
            if (!(value >= 0))
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0 or more; got {value}.");
        }
        var zoom = zoomRange ?? new ZoomRange(1, 1);
        if (!(zoom.Low <= zoom.High) || zoom.Low < 0)
            throw new ArgumentException($"zoomRange must be a number in [0, 1) or a pair (lo, hi) with 0 <= lo <= hi; got ({zoom.Low}, {zoom.High}).", nameof(zoomRange));
        if (brightnessRange is { } b && !(b.Item1 <= b.Item2))
            throw new ArgumentException($"brightnessRange must be (lo, hi) with lo <= hi; got ({b.Item1}, {b.Item2}).", nameof(brightnessRange));
        string fill = (fillMode ?? throw new ArgumentNullException(nameof(fillMode))).ToLowerInvariant();
        if (!ImageTransform.FillModes.Contains(fill))
            throw new ArgumentException($"Unknown fillMode \"{fillMode}\"; accepted: {string.Join(", ", ImageTransform.FillModes.Select(m => $"\"{m}\""))}.", nameof(fillMode));
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, $"validationSplit must be in [0, 1) (a fraction such as 0.2); got {validationSplit}.");

        // Arguments are double so Keras-style literals (widthShiftRange: 0.2) compile; pixels are processed in float.
        Rescale = (float)rescale;
        RotationRange = (float)rotationRange;
        WidthShiftRange = (float)widthShiftRange;
        HeightShiftRange = (float)heightShiftRange;
        ShearRange = (float)shearRange;
        ZoomRange = zoom;
        HorizontalFlip = horizontalFlip;
        VerticalFlip = verticalFlip;
        BrightnessRange = brightnessRange is { } range ? ((float)range.Item1, (float)range.Item2) : null;
        ChannelShiftRange = (float)channelShiftRange;
        FillMode = fill;
        Cval = (float)cval;
        FeaturewiseStdNormalization = featurewiseStdNormalization;
        FeaturewiseCenter = featurewiseCenter || featurewiseStdNormalization;
        SamplewiseStdNormalization = samplewiseStdNormalization;
        SamplewiseCenter = samplewiseCenter || samplewiseStdNormalization;
        PreprocessingFunction = preprocessingFunction;
        ValidationSplit = validationSplit;
    }

    /// <summary>Pixel multiplier applied after augmentation.</summary>
    public float Rescale { get; }

    /// <summary>Rotation range in degrees.</summary>
    public float RotationRange { get; }

    /// <summary>Horizontal shift range (fraction of the width below 1, else pixels).</summary>
    public float WidthShiftRange { get; }

    /// <summary>Vertical shift range (fraction of the height below 1, else pixels).</summary>
    public float HeightShiftRange { get; }

    /// <summary>Shear range in degrees.</summary>
    public float ShearRange { get; }

    /// <summary>Zoom factors <c>[Low, High]</c>; (1, 1) = none.</summary>
    public ZoomRange ZoomRange { get; }

    /// <summary>Random left-right mirroring.</summary>
    public bool HorizontalFlip { get; }

    /// <summary>Random top-bottom mirroring.</summary>
    public bool VerticalFlip { get; }

    /// <summary>Brightness factor range, or null.</summary>
    public (float, float)? BrightnessRange { get; }

    /// <summary>Channel shift range.</summary>
    public float ChannelShiftRange { get; }

    /// <summary>How points outside the input are filled (lower case).</summary>
    public string FillMode { get; }

    /// <summary>Fill value for <c>"constant"</c>.</summary>
    public float Cval { get; }

    /// <summary>Whether the featurewise mean is subtracted.</summary>
    public bool FeaturewiseCenter { get; }

    /// <summary>Whether images are divided by the featurewise std.</summary>
    public bool FeaturewiseStdNormalization { get; }

    /// <summary>Whether each image's mean is subtracted.</summary>
    public bool SamplewiseCenter { get; }

    /// <summary>Whether each image is divided by its std.</summary>
    public bool SamplewiseStdNormalization { get; }

    /// <summary>The user's per-image function, or null.</summary>
    public Func<Tensor, Tensor>? PreprocessingFunction { get; }

    /// <summary>Fraction of each class reserved for the validation subset.</summary>
    public double ValidationSplit { get; }

    /// <summary>Per-channel mean computed by <see cref="Fit"/> (Keras's <c>mean</c>), or null.</summary>
    public float[]? Mean { get; private set; }

    /// <summary>Per-channel standard deviation computed by <see cref="Fit"/> (Keras's <c>std</c>), or null.</summary>
    public float[]? Std { get; private set; }

    /// <summary>Whether any random transform is configured.</summary>
    internal bool Augments => RotationRange != 0 || WidthShiftRange != 0 || HeightShiftRange != 0 || ShearRange != 0
        || ZoomRange != new ZoomRange(1, 1) || HorizontalFlip || VerticalFlip || BrightnessRange is not null || ChannelShiftRange != 0;

    /// <summary>
    /// Computes the featurewise statistics from sample data (Keras's <c>fit</c>): per-channel mean and std of
    /// <c>x * rescale</c>. Needed only with <c>featurewiseCenter</c> or <c>featurewiseStdNormalization</c>.
    /// </summary>
    /// <param name="x">Images <c>[N, H, W, C]</c>, any numeric type.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not of rank 4.</exception>
    public void Fit(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4)
            throw new ArgumentException($"Fit expects images of rank 4, [N, H, W, C]; got shape {Shapes.Format(x.shape)}.", nameof(x));
        using var scope = torch.NewDisposeScope();
        var data = x.to(ScalarType.Float64).cpu() * Rescale;
        var mean = data.mean([0, 1, 2]);
        if (FeaturewiseCenter)
        {
            Mean = mean.to(ScalarType.Float32).data<float>().ToArray();
            data = data - mean;
        }
        if (FeaturewiseStdNormalization)
        {
            var std = data.std([0, 1, 2], unbiased: false); // numpy's std
            Std = std.to(ScalarType.Float32).data<float>().ToArray();
        }
    }

    /// <summary>Draws one image's random transform, in Keras's order of draws.</summary>
    internal TransformParameters GetRandomTransform(Random random, int h, int w)
    {
        double Uniform(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        double theta = RotationRange != 0 ? Uniform(-RotationRange, RotationRange) : 0;
        double tx = 0, ty = 0;
        if (HeightShiftRange != 0)
        {
            tx = Uniform(-HeightShiftRange, HeightShiftRange);
            if (HeightShiftRange < 1) tx *= h;
        }
        if (WidthShiftRange != 0)
        {
            ty = Uniform(-WidthShiftRange, WidthShiftRange);
            if (WidthShiftRange < 1) ty *= w;
        }
        double shear = ShearRange != 0 ? Uniform(-ShearRange, ShearRange) : 0;
        double zx = 1, zy = 1;
        if (ZoomRange != new ZoomRange(1, 1))
        {
            zx = Uniform(ZoomRange.Low, ZoomRange.High);
            zy = Uniform(ZoomRange.Low, ZoomRange.High);
        }
        bool flipH = random.NextDouble() < 0.5 && HorizontalFlip;
        bool flipV = random.NextDouble() < 0.5 && VerticalFlip;
        double? channelShift = ChannelShiftRange != 0 ? Uniform(-ChannelShiftRange, ChannelShiftRange) : null;
        double? brightness = BrightnessRange is { } b ? Uniform(b.Item1, b.Item2) : null;
        return new TransformParameters(theta, tx, ty, shear, zx, zy, flipH, flipV, channelShift, brightness);
    }

    /// <summary>Applies a transform to one <c>[H, W, C]</c> image in place.</summary>
    internal void ApplyTransform(Span<float> image, int h, int w, int c, TransformParameters p)
        => ImageTransform.Apply(image, h, w, c, p, FillMode, Cval);

    /// <summary>
    /// Keras's <c>standardize</c> on one image in place: <c>preprocessingFunction</c>, <c>rescale</c>, samplewise
    /// centre and std, featurewise centre and std (<c>+ 1e-6</c> in the divisors, as Keras).
    /// </summary>
    internal unsafe void Standardize(Span<float> image, int h, int w, int c)
    {
        if (PreprocessingFunction is { } f)
        {
            using var scope = torch.NewDisposeScope();
            var t = torch.empty([h, w, c], ScalarType.Float32);
            image.CopyTo(new Span<float>((void*)ImageIterator.Pointer(t), image.Length));
            var r = f(t);
            if (r is null || r.numel() != image.Length)
                throw new InvalidOperationException(
                    $"preprocessingFunction must return a tensor of shape {Shapes.Format([h, w, c])}; got {(r is null ? "null" : Shapes.Format(r.shape))}.");
            var rf = r.to(ScalarType.Float32).cpu().contiguous();
            new ReadOnlySpan<float>((void*)ImageIterator.Pointer(rf), image.Length).CopyTo(image);
        }
        if (Rescale != 1)
            for (int i = 0; i < image.Length; i++) image[i] *= Rescale;
        if (SamplewiseCenter)
        {
            double mean = 0;
            foreach (float v in image) mean += v;
            mean /= image.Length;
            for (int i = 0; i < image.Length; i++) image[i] = (float)(image[i] - mean);
        }
        if (SamplewiseStdNormalization)
        {
            double sq = 0, mean = 0;
            foreach (float v in image) mean += v;
            mean /= image.Length;
            foreach (float v in image) sq += (v - mean) * (v - mean);
            float std = (float)Math.Sqrt(sq / image.Length) + 1e-6f;
            for (int i = 0; i < image.Length; i++) image[i] /= std;
        }
        if (FeaturewiseCenter && Mean is { } m)
            for (int i = 0; i < image.Length; i++) image[i] -= m[m.Length == 1 ? 0 : i % c];
        if (FeaturewiseStdNormalization && Std is { } s)
            for (int i = 0; i < image.Length; i++) image[i] /= s[s.Length == 1 ? 0 : i % c] + 1e-6f;
    }

    /// <summary>Augments and standardizes one <c>[H, W, C]</c> image in place, with its own random stream.</summary>
    internal void Process(Span<float> image, int h, int w, int c, Random random, bool augment)
    {
        if (augment && Augments)
            ApplyTransform(image, h, w, c, GetRandomTransform(random, h, w));
        Standardize(image, h, w, c);
    }

    /// <summary>
    /// Batches of images read from one sub-folder per class (Keras's <c>flow_from_directory</c>).
    /// </summary>
    /// <param name="directory">Folder holding one sub-folder per class, e.g. <c>data/train/cats</c>, <c>data/train/dogs</c>.</param>
    /// <param name="targetSize">(height, width) every image is resized to; null means Keras's default (256, 256)
    /// (C# allows no tuple constants as defaults).</param>
    /// <param name="colorMode"><c>"rgb"</c> (3 channels), <c>"grayscale"</c> (1) or <c>"rgba"</c> (4).</param>
    /// <param name="classes">Class sub-folder names in index order; default all sub-folders, sorted (ordinal, as Python's <c>sorted</c>).</param>
    /// <param name="classMode">What <c>y</c> holds; see <see cref="ClassMode"/>.</param>
    /// <param name="batchSize">Images per batch.</param>
    /// <param name="shuffle">New random order every pass.</param>
    /// <param name="seed">Seed for the order and the augmentations; the same seed gives the same batches.</param>
    /// <param name="subset"><c>"training"</c> or <c>"validation"</c> with <see cref="ValidationSplit"/>: the first
    /// <c>validationSplit</c> of each class's sorted files is validation, the rest training. Null = all.</param>
    /// <param name="interpolation"><c>"nearest"</c>, <c>"bilinear"</c> or <c>"bicubic"</c> resizing.</param>
    /// <param name="followLinks">Descend into symbolic links to folders inside the class folders (Keras's
    /// <c>follow_links</c>). Links are compared by their canonical real path (every link in the path resolved, as
    /// <c>realpath</c>): a link back to its class folder or a folder above it (a cycle), or into another folder of
    /// <paramref name="directory"/> (such as another class, whose images would be counted under this one), is not
    /// followed, with a warning on standard error; a folder reached twice is read once, under its own path when it
    /// lies inside the class folder. Links to folders outside <paramref name="directory"/> are followed, as Keras
    /// follows them. Links to files are read whatever this says, as in Keras.</param>
    /// <param name="onInvalidImage"><c>"skip"</c> (default): an unreadable, truncated or empty image file, a file
    /// that is not a regular file (a FIFO, a device such as a link to <c>/dev/zero</c>), a file over
    /// <paramref name="maxFileBytes"/> or an image over <paramref name="maxImagePixels"/> is left out of its batch
    /// (which is then smaller) with one warning on standard error naming it and counting them, and left out of
    /// every later pass; <c>"error"</c>: throws <see cref="InvalidDataException"/> naming the file and why. Files are
    /// checked when first decoded, not at construction (that would decode the whole folder twice).</param>
    /// <param name="maxImagePixels">The most pixels (width x height, as the file's header claims them) an image may
    /// have; larger ones are refused before decoding, as <paramref name="onInvalidImage"/> says. Default
    /// <see cref="DefaultMaxImagePixels"/> (Pillow's <c>MAX_IMAGE_PIXELS</c>); at most 536,870,911 (2 GiB of RGBA).
    /// Decoding one image costs 4 bytes per pixel (8 for an EXIF-rotated image resized bilinear or bicubic) on each
    /// worker thread, freed once it is decoded.</param>
    /// <param name="maxFileBytes">The largest image file read; larger ones are refused unread, as
    /// <paramref name="onInvalidImage"/> says. Default <see cref="DefaultMaxFileBytes"/> (256 MiB); at most
    /// <see cref="int.MaxValue"/>.</param>
    /// <returns>The iterator; prints Keras's "Found N images belonging to K classes."</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="ArgumentException">No class sub-folders, no images, an unknown mode, or binary mode without exactly two classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target size or batch size below 1, a target size over 536,870,911
    /// pixels, or <paramref name="maxImagePixels"/> or <paramref name="maxFileBytes"/> out of range.</exception>
    /// <example>
    /// Keras's <c>flow_from_directory('data/train', target_size=(150, 150), batch_size=20, class_mode='binary')</c>:
    /// <code>
    /// var gen = new ImageDataGenerator(rescale: 1f / 255, validationSplit: 0.2);
    /// var train = gen.FlowFromDirectory("data/train", targetSize: (150, 150), batchSize: 20,
    ///     classMode: ClassMode.Binary, subset: "training");
    /// var val = gen.FlowFromDirectory("data/train", targetSize: (150, 150), batchSize: 20,
    ///     classMode: ClassMode.Binary, subset: "validation");
    /// Console.WriteLine(string.Join(", ", train.ClassIndices));   // [cats, 0], [dogs, 1]
    /// model.Fit(train, epochs: 30, validationData: val);
    /// </code>
    /// </example>
    public DirectoryIterator FlowFromDirectory(string directory, (int, int)? targetSize = null, string colorMode = "rgb",
        IReadOnlyList<string>? classes = null, ClassMode classMode = ClassMode.Categorical, int batchSize = 32,
        bool shuffle = true, int? seed = null, string? subset = null, string interpolation = "nearest",
        bool followLinks = false, string onInvalidImage = "skip", long maxImagePixels = DefaultMaxImagePixels,
        long maxFileBytes = DefaultMaxFileBytes)
        => new(directory, this, targetSize ?? (256, 256), colorMode, classes, classMode, batchSize, shuffle, seed, subset,
            interpolation, followLinks, onInvalidImage, maxImagePixels, maxFileBytes);

    /// <summary>Batches of augmented images from tensors (Keras's <c>flow</c>).</summary>
    /// <param name="x">Images <c>[N, H, W, C]</c>, any numeric type (copied to float32 on the host).</param>
    /// <param name="y">Targets with <c>N</c> rows, yielded as given (row-selected); null yields an empty <c>y</c>.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">New random order every pass.</param>
    /// <param name="seed">Seed for the order and the augmentations.</param>
    /// <returns>The iterator.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not of rank 4, or <paramref name="y"/> has another number of rows.</exception>
    public ArrayIterator Flow(Tensor x, Tensor? y = null, int batchSize = 32, bool shuffle = true, int? seed = null)
        => new(x, y, this, batchSize, shuffle, seed);
}
