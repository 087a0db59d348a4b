namespace Sequential;

/// <summary>
/// The key a constructor parameter has in saved configurations (<c>GetConfig()</c> and model files), when it is not the
/// snake_case of the parameter's name. Keys are Keras's snake_case (<c>useBias</c> is saved as <c>use_bias</c>); put this
/// attribute on a parameter whose C# name changes, with the key it had, so that files written before the rename still
/// load and files written after it keep the same key. It also gives Keras's spelling where snake_case differs from it
/// (Adam's <c>beta1</c> is Keras's <c>beta_1</c>).
/// </summary>
/// <param name="key">The saved key, e.g. <c>use_bias</c>.</param>
/// <example>
/// <code>
/// public MyLayer(int units, [ConfigKey("use_bias")] bool withBias = true) { ... }   // renamed from useBias
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    /// <summary>The saved key.</summary>
    public string Key { get; } = !string.IsNullOrWhiteSpace(key) ? key : throw new ArgumentException("A configuration key must not be empty.", nameof(key));
}
