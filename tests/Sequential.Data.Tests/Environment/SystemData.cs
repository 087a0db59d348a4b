namespace Sequential.Data.Tests;

/// <summary>
/// Tests that read something only CI installs (a Debian data set) call <see cref="Require"/> first: on a machine
/// without it the test is skipped with a message naming the package, and <c>.ci/run</c> installs the package so
/// CI still runs the test.
/// </summary>
/// <remarks>
/// Skips with <see cref="Assert.Ignore(string)"/>, not <c>Assume.That</c>: under NUnit 4.4 an <c>Assume.That</c>
/// that fails inside a <c>[SetUp]</c> method does not stop the test, which then runs and fails
/// (<see cref="SystemDataTests"/> holds every set-up method of this assembly to that).
/// </remarks>
internal static class SystemData
{
    /// <summary>Skips the current test unless <paramref name="folder"/> exists.</summary>
    public static void Require(string folder, string debianPackage)
    {
        if (!Directory.Exists(folder))
            Assert.Ignore($"{folder} is absent: install the Debian package {debianPackage} (`apt install {debianPackage}`; .ci/run does).");
    }
}
