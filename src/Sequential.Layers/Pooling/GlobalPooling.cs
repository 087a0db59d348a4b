namespace Sequential.Layers;

/// <summary>
/// What the global pooling layers share (<see cref="GlobalPooling1D"/>, <see cref="GlobalPooling2D"/>): the data format
/// and whether the reduced axes are kept with size 1.
/// </summary>
public abstract class GlobalPooling : Layer
{
    private protected readonly bool ChannelsFirst;

    /// <summary>Creates a global pooling layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the reduced axes with size 1.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected GlobalPooling(string dataFormat, bool keepdims, long[]? inputShape, string? name) : base(name, inputShape)
    {
        DataFormat = ConvArithmetic.DataFormat(dataFormat, GetType().Name);
        Keepdims = keepdims;
        ChannelsFirst = DataFormat == "channels_first";
    }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <summary>Whether the reduced axes are kept with size 1.</summary>
    public bool Keepdims { get; }
}
