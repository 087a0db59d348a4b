using Sequential.Callbacks;

namespace Sequential.Core.Tests.Callbacks;

public class PythonFormatTests
{
    // Expected strings are Python 3's str(value) (equal to repr), checked with python3.
    [TestCase(0.5, "0.5")]
    [TestCase(0.1, "0.1")]
    [TestCase(1.0, "1.0")]
    [TestCase(0.0, "0.0")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(-2.0, "-2.0")]
    [TestCase(123.456, "123.456")]
    [TestCase(1234567.0, "1234567.0")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00012345, "0.00012345")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(1.5e-7, "1.5e-07")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(1000000000000000.5, "1000000000000000.5")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1e22, "1e+22")]
    [TestCase(123456789012345678.0, "1.2345678901234568e+17")]
    [TestCase(0.30000000000000004, "0.30000000000000004")]
    [TestCase(0.6931471824645996, "0.6931471824645996")]
    [TestCase(double.NaN, "nan")]
    [TestCase(double.PositiveInfinity, "inf")]
    [TestCase(double.NegativeInfinity, "-inf")]
    public void StrWritesFloatsAsPythonDoes(double value, string expected) =>
        Assert.That(PythonFormat.Str(value), Is.EqualTo(expected));

    [TestCase(1000000000000000.5, "1000000000000000.5")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(double.NegativeInfinity, "-inf")]
    public void EmptySpecIsStr(double value, string expected) =>
        Assert.That(PythonFormat.Format("{v}", new Dictionary<string, object> { ["v"] = value }), Is.EqualTo(expected));
}
