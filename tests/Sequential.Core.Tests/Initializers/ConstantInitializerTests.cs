using Sequential.Initializers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Initializers;

/// keras/src/initializers/constant_initializers_test.py: Identity and Orthogonal (exact values), and the Keras names.
public class ConstantInitializerTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void Identity_IsEyeTimesGain()
    {
        using var scope = NewDisposeScope();
        var values = new Identity(gain: 2).Call([3, 3]);
        Assert.That(values.data<float>().ToArray(), Is.EqualTo(new float[] { 2, 0, 0, 0, 2, 0, 0, 0, 2 }));
        Assert.That(new Identity().Call([2, 3]).data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0, 0, 0, 1, 0 }));
        Assert.That(InitializerRegistry.Get("IdentityInitializer"), Is.TypeOf<Identity>());
        var ex = Assert.Throws<ArgumentException>(() => new Identity().Call([3, 3, 3]));
        Assert.That(ex!.Message, Does.StartWith("The identity initializer needs a 2-D weight; got shape (3, 3, 3)."));
    }

    [Test]
    public void Orthogonal_KerasTest_ColumnsHaveGainNorm_AndAreOrthogonal()
    {
        using var scope = NewDisposeScope();
        var initializer = new Orthogonal(gain: 2.0, seed: 1234);
        var a = initializer.Call([5, 5]).to_type(ScalarType.Float64);
        var gram = a.t().matmul(a);                        // columns' dot products: 4 on the diagonal, 0 elsewhere
        Assert.That(gram.allclose(eye(5, dtype: ScalarType.Float64) * 4, rtol: 0, atol: 1e-5), Is.True);
        Assert.That(InitializerRegistry.Get("OrthogonalInitializer"), Is.TypeOf<Orthogonal>());
    }

    [TestCase("zero", typeof(Zeros))]
    [TestCase("one", typeof(Ones))]
    [TestCase("constant", typeof(Constant))]
    [TestCase("Constant", typeof(Constant))]
    [TestCase("truncated_normal", typeof(TruncatedNormal))]
    [TestCase("variance_scaling", typeof(VarianceScaling))]
    [TestCase("RandomUniform", typeof(RandomUniform))]
    [TestCase("identity", typeof(Identity))]
    public void Get_KerasNamesAndClassNames(string name, Type expected) =>
        Assert.That(InitializerRegistry.Get(name), Is.TypeOf(expected));
}
