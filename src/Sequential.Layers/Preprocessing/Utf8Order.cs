using System.Text;

namespace Sequential.Layers;

/// <summary>Orders strings by their UTF-8 bytes, as numpy orders bytes tokens (Keras's vocabulary tie order).</summary>
internal sealed class Utf8Order : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static readonly Utf8Order Instance = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y) =>
        Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
}
