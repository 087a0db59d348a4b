namespace Sequential.Callbacks;

/// <summary>Keras's <c>save_freq</c> argument, shared by <see cref="ModelCheckpoint"/> and <see cref="BackupAndRestore"/>, and
/// <see cref="TensorBoard"/>'s <c>update_freq</c>, which reads the same way and also accepts <c>"batch"</c>.</summary>
internal static class SaveFrequency
{
    /// <summary>Reads <c>"epoch"</c> (any case) as null and a positive int or long as a number of batches.</summary>
    /// <param name="saveFreq">The argument as given (already defaulted to <c>"epoch"</c>).</param>
    /// <param name="callback">The callback's name, for the message.</param>
    /// <param name="argument">The argument's name, for the message.</param>
    /// <param name="batchIsOne">Whether <c>"batch"</c> is accepted as 1 (TensorBoard's <c>update_freq</c>).</param>
    /// <returns>Batches between saves, or null for once per epoch.</returns>
    /// <exception cref="ArgumentException">Anything else.</exception>
    internal static int? Batches(object saveFreq, string callback, string argument = "saveFreq", bool batchIsOne = false) => saveFreq switch
    {
        string s when s.Equals("epoch", StringComparison.OrdinalIgnoreCase) => null,
        string s when batchIsOne && s.Equals("batch", StringComparison.OrdinalIgnoreCase) => 1,
        int n when n > 0 => n,
        long n when n > 0 && n <= int.MaxValue => (int)n,
        _ => throw new ArgumentException(
            $"{callback} {argument} must be \"epoch\"{(batchIsOne ? ", \"batch\"" : "")} or a positive number of batches; got {saveFreq}.", argument),
    };
}
