namespace Sequential.Training;

/// <summary>Which loop a progress bar follows.</summary>
internal enum ProgressTarget
{
    Train,
    Test,
    Predict,
}
