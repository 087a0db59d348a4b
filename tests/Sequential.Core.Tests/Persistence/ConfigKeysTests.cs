using System.Reflection;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Metrics;
using Sequential.Optimizers;
using Sequential.Persistence;

namespace Sequential.Core.Tests.Persistence;

/// <summary>
/// The configuration keys that model files hold for the built-in classes stay readable: config-keys.txt lists, per class,
/// the keys its constructor took when they were written down. A C# parameter renamed without a
/// <see cref="ConfigKeyAttribute"/> would change its key, and files saved before would no longer load: this test says
/// which. New classes and new keys are additions and pass.
/// </summary>
public class ConfigKeysTests
{
    /// <summary>Every public configurable class of the Sequential assemblies -> the keys its configuration constructor takes.</summary>
    internal static SortedDictionary<string, string[]> CurrentKeys()
    {
        var bases = new[] { typeof(Layer), typeof(Optimizer), typeof(Loss), typeof(Metric) };
        var keys = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var assembly in new[] { typeof(Layer).Assembly, typeof(Dense).Assembly })
            foreach (var type in assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && bases.Any(b => b.IsAssignableFrom(t))))
            {
                if (typeof(Model).IsAssignableFrom(type)) continue; // saved by their own sections, not a constructor
                ConstructorInfo constructor;
                try { constructor = ConfigReflection.ConfigConstructor(type); }
                catch (InvalidOperationException) { continue; }
                keys[$"{bases.First(b => b.IsAssignableFrom(type)).Name}.{type.Name}"] = [.. constructor.GetParameters().Select(ConfigReflection.Key)];
            }
        return keys;
    }

    private static string Golden => Path.Combine(TestContext.CurrentContext.TestDirectory, "Persistence", "Fixtures", "config-keys.txt");

    [Test]
    public void EveryKeyThatFilesHold_IsStillTakenByItsClass()
    {
        var current = CurrentKeys();
        var problems = new List<string>();
        foreach (var line in File.ReadAllLines(Golden).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var (type, saved) = (line[..line.IndexOf(':')], line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (!current.TryGetValue(type, out var keys))
            {
                problems.Add($"{type} is gone (or lost its configuration constructor), but files may name it.");
                continue;
            }
            foreach (var key in saved.Where(k => !keys.Contains(k)))
                problems.Add($"{type} no longer takes the key '{key}' (it takes {string.Join(", ", keys)}). If a constructor parameter " +
                             $"was renamed, put [ConfigKey(\"{key}\")] on it so that saved files keep loading.");
        }
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void EveryKeyIsSnakeCase_AsKeras()
    {
        var notSnake = CurrentKeys().SelectMany(kv => kv.Value.Where(k => k != k.ToLowerInvariant()).Select(k => $"{kv.Key}.{k}")).ToList();
        Assert.That(notSnake, Is.Empty);
        Assert.That(CurrentKeys()["Optimizer.Adam"], Does.Contain("beta_1").And.Contain("beta_2").And.Contain("learning_rate"), "Keras's spelling");
    }
}
