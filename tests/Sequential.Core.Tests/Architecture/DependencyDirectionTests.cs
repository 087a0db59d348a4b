using System.Reflection;

namespace Sequential.Core.Tests.Architecture;

/// <summary>
/// DESIGN.md: dependencies point one way, Layers -> Core and Data -> Core (and Data -> Layers, for FeatureSpace, which
/// builds Keras's preprocessing layers as keras.utils.FeatureSpace does). Core knows nothing of images or dataset files;
/// Layers know nothing of Data.
/// </summary>
public class DependencyDirectionTests
{
    private static string[] References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Sequential", StringComparison.Ordinal)).ToArray();

    [Test]
    public void Core_ReferencesNoOtherSequentialAssembly() =>
        Assert.That(References(typeof(Model).Assembly), Is.Empty);

    [Test]
    public void Layers_ReferencesOnlyCore() =>
        Assert.That(References(typeof(Sequential.Layers.Dense).Assembly), Is.EqualTo(new[] { "Sequential.Core" }));

    [Test]
    public void Data_ReferencesOnlyCoreAndLayers() =>
        Assert.That(References(typeof(Sequential.Data.Mnist).Assembly).Order(), Is.EqualTo(new[] { "Sequential.Core", "Sequential.Layers" }));

    [Test]
    public void EveryPublicTypeOfTheLibrary_LivesInADesignNamespace()
    {
        string[] allowed = ["Sequential", "Sequential.Layers", "Sequential.Optimizers", "Sequential.Losses", "Sequential.Metrics",
            "Sequential.Callbacks", "Sequential.Data", "Sequential.Activations", "Sequential.Initializers"];
        var strays = new[] { typeof(Model).Assembly, typeof(Sequential.Layers.Dense).Assembly, typeof(Sequential.Data.Mnist).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => !allowed.Contains(t.Namespace))
            .Select(t => t.FullName)
            .ToList();
        Assert.That(strays, Is.Empty);
    }
}
