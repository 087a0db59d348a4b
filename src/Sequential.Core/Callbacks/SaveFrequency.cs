namespace Sequential.Callbacks;

/// <summary>Keras's <c>save_freq</c> argument, shared by <see cref="ModelCheckpoint"/> and <see cref="BackupAndRestore"/>.</summary>
internal static class SaveFrequency
{
    /// <summary>Reads <c>"epoch"</c> (any case) as null and a positive int or long as a number of batches.</summary>
    /// <param name="saveFreq">The argument as given (already defaulted to <c>"epoch"</c>).</param>
    /// <param name="callback">The callback's name, for the message.</param>
    /// <returns>Batches between saves, or null for once per epoch.</returns>
    /// <exception cref="ArgumentException">Anything else.</exception>
    internal static int? Batches(object saveFreq, string callback) => saveFreq switch
    {
        string s when s.Equals("epoch", StringComparison.OrdinalIgnoreCase) => null,
        int n when n > 0 => n,
        long n when n > 0 && n <= int.MaxValue => (int)n,
        _ => throw new ArgumentException(
            $"{callback} saveFreq must be \"epoch\" or a positive number of batches; got {saveFreq}.", nameof(saveFreq)),
    };
}
