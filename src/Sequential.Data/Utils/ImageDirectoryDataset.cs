namespace Sequential.Data;

/// <summary>
/// What <see cref="Utils.ImageDatasetFromDirectory"/> returns: the image pipeline with Keras's <c>class_names</c> and
/// <c>file_paths</c>. With <c>subset: "both"</c> it is the training dataset and deconstructs into
/// <c>(training, validation)</c>, as Keras returns the pair.
/// </summary>
/// <example><code>var (train, val) = ImageDatasetFromDirectory("PetImages", validationSplit: 0.2, subset: "both", seed: 1337);</code></example>
public sealed class ImageDirectoryDataset : Dataset
{
    private readonly ImageDirectoryDataset? _validation;

    internal ImageDirectoryDataset(Dataset pipeline, IReadOnlyList<string>? classNames, IReadOnlyList<string> filePaths,
        ImageDirectoryDataset? validation = null) : base(pipeline)
    {
        if (classNames is not null) ClassNames = classNames;
        FilePaths = filePaths;
        _validation = validation;
    }

    /// <summary>The number of images the training and validation datasets read so far (for tests).</summary>
    internal Func<long> ImagesRead { get; init; } = () => 0;

    /// <summary>Keras's <c>train_ds, val_ds = image_dataset_from_directory(..., subset="both")</c>.</summary>
    /// <param name="training">The training dataset (this one).</param>
    /// <param name="validation">The validation dataset.</param>
    /// <exception cref="InvalidOperationException">The dataset was not made with <c>subset: "both"</c>.</exception>
    /// <example><code>var (train, val) = ImageDatasetFromDirectory("PetImages", validationSplit: 0.2, subset: "both", seed: 1337);</code></example>
    public void Deconstruct(out ImageDirectoryDataset training, out ImageDirectoryDataset validation)
    {
        training = this;
        validation = _validation ?? throw new InvalidOperationException(
            "Only ImageDatasetFromDirectory(..., validationSplit: ..., subset: \"both\") returns a (training, validation) pair; " +
            "this dataset was made with another subset.");
    }
}
