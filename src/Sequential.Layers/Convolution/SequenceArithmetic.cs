using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>What every 1-D sequence layer shares: reading (steps, channels) from a per-sample shape and checking batches.</summary>
internal static class SequenceArithmetic
{
    /// <summary>Reads (steps, channels) from a per-sample sequence shape, or explains what the layer expects.</summary>
    internal static (long Steps, long Channels) SequenceShape(long[] inputShape, bool channelsFirst, Layer layer)
    {
        if (inputShape.Length != 2)
        {
            string expected = channelsFirst ? "(channels, steps)" : "(steps, channels)";
            string hint = inputShape.Length == 1 && !channelsFirst
                ? $" For one feature per step add a channel axis first, e.g. new Reshape([{inputShape[0]}, 1])."
                : "";
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}) expects sequences of shape {expected} per sample, i.e. batches " +
                $"(None, {expected[1..]}; got input shape {Shapes.FormatBatch(inputShape)}.{hint}");
        }
        return channelsFirst ? (inputShape[1], inputShape[0]) : (inputShape[0], inputShape[1]);
    }

    /// <summary>Checks that a batch has 3 axes before it reaches a 1-D kernel.</summary>
    internal static void CheckBatch(Tensor x, Layer layer)
    {
        if (x.dim() != 3)
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}) expects a batch of sequences with 3 axes; got a tensor of shape {Shapes.Format(x.shape)}.");
    }
}
