namespace Sequential.Core.Tests.Losses;

/// The tolerances of Keras's own tests, so ported expectations keep them.
internal static class KerasTolerance
{
    /// Keras's assertAlmostEqual(decimal=3): numpy's assert_almost_equal, |actual - desired| &lt; 1.5e-3.
    public const double Decimal3 = 1.5e-3;

    /// assertAlmostEqual(decimal=4) and the float32 end of assertAllClose(atol=1e-6, rtol=1e-6) on values near 1.
    public const double Decimal4 = 1.5e-4;

    /// assertAllClose's atol 1e-6 and rtol 1e-6, widened to float32's resolution of the values compared.
    public const double AllClose = 1e-5;
}
