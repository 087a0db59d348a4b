using TorchSharp;
using static TorchSharp.torch;
using Sequential.Initializers;

namespace Sequential.Core.Tests.Initializers;

public class InitializersTests
{
    // Keras's truncated normal: drawn at stddev / 0.87962566 and cut at two of those, so the sample std is stddev.
    private const double TruncationCorrection = 0.87962566103423978;

    private static Tensor Fill(string name, long rows, long columns, long fanIn, long fanOut)
    {
        var t = empty(rows, columns, dtype: ScalarType.Float32);
        InitializerRegistry.Get(name).Initialize(t, fanIn, fanOut);
        return t.to_type(ScalarType.Float64);
    }

    private static double Std(Tensor t) => t.std().item<double>();
    private static double MaxAbs(Tensor t) => t.abs().max().item<double>();

    [Test]
    public void ZerosAndOnes_AreExact()
    {
        Assert.That(Fill("zeros", 3, 4, 4, 3).data<double>().ToArray(), Is.All.EqualTo(0.0));
        Assert.That(Fill("ones", 3, 4, 4, 3).data<double>().ToArray(), Is.All.EqualTo(1.0));
    }

    [Test]
    public void GlorotUniform_WithinSqrtSixOverFanSum()
    {
        RandomSeed.Set(5);
        var t = Fill("glorot_uniform", 100, 300, fanIn: 300, fanOut: 100);
        double limit = Math.Sqrt(6.0 / 400);
        Assert.That(MaxAbs(t), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.98 * limit));
        Assert.That(Std(t), Is.EqualTo(limit / Math.Sqrt(3)).Within(2).Percent);
    }

    [Test]
    public void GlorotNormal_StdIsSqrtTwoOverFanSum_Truncated()
    {
        RandomSeed.Set(5);
        var t = Fill("glorot_normal", 400, 500, fanIn: 500, fanOut: 400);
        double stddev = Math.Sqrt(2.0 / 900);
        Assert.That(Std(t), Is.EqualTo(stddev).Within(2).Percent);
        Assert.That(MaxAbs(t), Is.LessThanOrEqualTo(2 * stddev / TruncationCorrection + 1e-12));
    }

    [Test]
    public void HeNormal_StdIsSqrtTwoOverFanIn_Truncated()
    {
        RandomSeed.Set(6);
        var t = Fill("he_normal", 500, 400, fanIn: 400, fanOut: 500);
        double stddev = Math.Sqrt(2.0 / 400);
        // Uncorrected truncation would give 0.88 * stddev; an untruncated normal would exceed the bound below.
        Assert.That(Std(t), Is.EqualTo(stddev).Within(2).Percent);
        Assert.That(MaxAbs(t), Is.LessThanOrEqualTo(2 * stddev / TruncationCorrection + 1e-12));
        Assert.That(MaxAbs(t), Is.GreaterThan(0.99 * 2 * stddev / TruncationCorrection));
    }

    [Test]
    public void HeUniform_AndLecun_UseFanInOnly()
    {
        RandomSeed.Set(8);
        var heUniform = Fill("he_uniform", 200, 300, fanIn: 300, fanOut: 200);
        double limit = Math.Sqrt(6.0 / 300);
        Assert.That(MaxAbs(heUniform), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.98 * limit));
        var lecunNormal = Fill("lecun_normal", 400, 500, fanIn: 500, fanOut: 400);
        Assert.That(Std(lecunNormal), Is.EqualTo(Math.Sqrt(1.0 / 500)).Within(2).Percent);
        var lecunUniform = Fill("lecun_uniform", 200, 300, fanIn: 300, fanOut: 200);
        Assert.That(MaxAbs(lecunUniform), Is.LessThanOrEqualTo(Math.Sqrt(3.0 / 300)).And.GreaterThan(0.98 * Math.Sqrt(3.0 / 300)));
    }

    [Test]
    public void RandomNormalAndUniform_KerasDefaults()
    {
        RandomSeed.Set(9);
        Assert.That(Std(Fill("random_normal", 300, 300, 1, 1)), Is.EqualTo(0.05).Within(2).Percent);
        var uniform = Fill("random_uniform", 300, 300, 1, 1);
        Assert.That(MaxAbs(uniform), Is.LessThanOrEqualTo(0.05).And.GreaterThan(0.049));
    }

    [Test]
    public void Orthogonal_GivesOrthonormalColumnsOrRows_AsKeras()
    {
        RandomSeed.Set(3);
        var tall = torch.empty(64, 32);
        InitializerRegistry.Get("orthogonal").Initialize(tall, 64, 32);
        Assert.That(torch.allclose(tall.t().matmul(tall), torch.eye(32), atol: 1e-5), Is.True, "W^T W = I for a tall weight");
        var wide = torch.empty(16, 48);
        InitializerRegistry.Get("orthogonal").Initialize(wide, 16, 48);
        Assert.That(torch.allclose(wide.matmul(wide.t()), torch.eye(16), atol: 1e-5), Is.True, "W W^T = I for a wide weight");
        // A kernel (3, 4, 8) is viewed as (12, 8).
        var kernel = torch.empty(3, 4, 8);
        InitializerRegistry.Get("orthogonal").Initialize(kernel, 12, 8);
        var flat = kernel.reshape(12, 8);
        Assert.That(torch.allclose(flat.t().matmul(flat), torch.eye(8), atol: 1e-5), Is.True);
        Assert.Throws<ArgumentException>(() => InitializerRegistry.Get("orthogonal").Initialize(torch.empty(5), 5, 5));
    }

    [Test]
    public void KerasAliases_UniformAndNormal_AreTheRandomOnes()
    {
        // keras.initializers.get("uniform") is RandomUniform(-0.05, 0.05), "normal" RandomNormal(stddev=0.05): Embedding's default.
        RandomSeed.Set(9);
        Assert.That(MaxAbs(Fill("uniform", 300, 300, 1, 1)), Is.LessThanOrEqualTo(0.05).And.GreaterThan(0.049));
        Assert.That(Std(Fill("normal", 300, 300, 1, 1)), Is.EqualTo(0.05).Within(2).Percent);
        Assert.That(InitializerRegistry.Get("uniform"), Is.TypeOf<RandomUniform>(), "Keras's alias: saved by its class, random_uniform");
    }

    [Test]
    public void SameSeed_SameWeights_OtherSeed_Different()
    {
        RandomSeed.Set(1);
        var a = Fill("glorot_uniform", 10, 10, 10, 10);
        RandomSeed.Set(1);
        var b = Fill("glorot_uniform", 10, 10, 10, 10);
        RandomSeed.Set(2);
        var c = Fill("glorot_uniform", 10, 10, 10, 10);
        Assert.That(a.eq(b).all().item<bool>(), Is.True);
        Assert.That(a.eq(c).all().item<bool>(), Is.False);
        Assert.That(RandomSeed.Current, Is.EqualTo(2));
    }

    [Test]
    public void Initialize_DoesNotRecordAutograd()
    {
        var p = new TorchSharp.Modules.Parameter(empty(3, 3), requires_grad: true);
        // An in-place fill of a leaf that requires grad throws unless done under no_grad.
        Assert.DoesNotThrow(() => InitializerRegistry.Get("he_normal").Initialize(p, 3, 3));
        Assert.That(p.requires_grad, Is.True);
    }

    [TestCase("Glorot_Uniform", "glorot_uniform")]
    [TestCase("HE_NORMAL", "he_normal")]
    [TestCase(" zeros ", "zeros")]
    public void Get_IsCaseInsensitive(string name, string canonical) =>
        Assert.That(InitializerRegistry.Get(name).Name, Is.EqualTo(canonical));

    [Test]
    public void Get_ReturnsANewInstanceEachTime() =>
        Assert.That(InitializerRegistry.Get("zeros"), Is.Not.SameAs(InitializerRegistry.Get("zeros")));

    [Test]
    public void Unknown_Throws_ListingAcceptedNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => InitializerRegistry.Get("xavier"));
        Assert.That(ex!.Message, Does.StartWith("Unknown initializer 'xavier'. Accepted: ")
            .And.Contain("glorot_uniform").And.Contain("he_normal").And.Contain("zeros"));
        Assert.Throws<ArgumentNullException>(() => InitializerRegistry.Get(null!));
    }
}
