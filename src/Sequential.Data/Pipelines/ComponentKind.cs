namespace Sequential.Data;

/// <summary>What a <see cref="Component"/> of a dataset element holds.</summary>
/// <example><code>if (element.X.Kind == ComponentKind.Dictionary) { var age = element.X["age"].Tensor; }</code></example>
public enum ComponentKind
{
    /// <summary>A tensor (<see cref="Component.Tensor"/>).</summary>
    Tensor,

    /// <summary>Strings (<see cref="Component.Strings"/>), TensorFlow's <c>tf.string</c>.</summary>
    Strings,

    /// <summary>Components by name (<see cref="Component.Dictionary"/>), as Keras's <c>{"image": ..., "meta": ...}</c>.</summary>
    Dictionary,
}
