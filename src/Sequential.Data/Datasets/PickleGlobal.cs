namespace Sequential.Data;

/// <summary>
/// One of the three Python globals a pickled numpy array refers to. <see cref="PickleReader"/> makes these only for
/// the allowed names (Keras's <c>npz_utils._ALLOWED_PICKLE_GLOBALS</c>) and never looks anything up or runs it.
/// </summary>
internal enum PickleGlobal
{
    /// <summary><c>numpy.ndarray</c>, the type argument of <c>_reconstruct</c>.</summary>
    NdArray,

    /// <summary><c>numpy.dtype</c>: <c>dtype('u1', False, True)</c>.</summary>
    Dtype,

    /// <summary><c>numpy.core.multiarray._reconstruct</c> (numpy 1) or <c>numpy._core.multiarray._reconstruct</c> (numpy 2).</summary>
    Reconstruct,
}
