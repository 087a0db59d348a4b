namespace Sequential.Data;

/// <summary>
/// What <see cref="DirectoryIterator"/> yields as targets (Keras's <c>class_mode</c>).
/// </summary>
public enum ClassMode
{
    /// <summary>float32 <c>[N]</c> holding 0 or 1 (<c>"binary"</c>); needs exactly two classes. For <c>binary_crossentropy</c>.</summary>
    Binary,

    /// <summary>float32 one-hot <c>[N, K]</c> (<c>"categorical"</c>, the default). For <c>categorical_crossentropy</c>.</summary>
    Categorical,

    /// <summary>int64 class indices <c>[N]</c> (<c>"sparse"</c>). For <c>sparse_categorical_crossentropy</c>.</summary>
    Sparse,

    /// <summary>The images themselves, <c>y</c> is the same tensor as <c>x</c> (<c>"input"</c>, for autoencoders).</summary>
    Input,

    /// <summary>No targets (<c>None</c>, for prediction): <c>y</c> is an empty float32 tensor of shape <c>[0]</c>.</summary>
    None,
}
