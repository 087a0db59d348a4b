using System.Text.Json;
using Sequential.Persistence;

namespace Sequential.Optimizers;

/// <summary>
/// The learning-rate schedule classes a model file may name: the built-in ones and those registered with
/// <see cref="Register{T}"/> (Keras's <c>register_keras_serializable</c>). Loading calls nothing but their constructors.
/// </summary>
public static class ScheduleRegistry
{
    private static readonly TypeRegistry<LearningRateSchedule> Classes = new("learning-rate schedule", typeof(ScheduleRegistry).FullName!,
    [
        typeof(ExponentialDecay), typeof(InverseTimeDecay), typeof(PiecewiseConstantDecay), typeof(PolynomialDecay),
        typeof(CosineDecay), typeof(CosineDecayRestarts),
    ]);

    /// <summary>Makes your own schedule class loadable from model files.</summary>
    /// <typeparam name="T">A non-abstract schedule whose largest public constructor's parameters each have a same-named
    /// PascalCase public property.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is abstract or has no public constructor.</exception>
    public static void Register<T>() where T : LearningRateSchedule => Classes.Register(typeof(T));

    /// <summary>The class names a model file may name, sorted.</summary>
    public static IReadOnlyList<string> ClassNames => Classes.ClassNames;

    /// <summary>Creates a schedule from its class name and its saved configuration.</summary>
    /// <param name="className">The class name, e.g. <c>ExponentialDecay</c>.</param>
    /// <param name="config">Constructor argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>A new schedule.</returns>
    /// <exception cref="InvalidDataException">The class is unknown or the configuration does not fit its constructor.</exception>
    public static LearningRateSchedule FromConfig(string className, IReadOnlyDictionary<string, object?> config) => Classes.Create(className, config);

    /// <summary>Reads Keras's serialized form, <c>{"class_name": ..., "config": {...}}</c>.</summary>
    /// <exception cref="FormatException">The element is not an object with a string class name and an object config.</exception>
    internal static LearningRateSchedule FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("class_name", out var name) || name.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            throw new FormatException("a learning-rate schedule must be a number or {\"class_name\": ..., \"config\": {...}}");
        var values = new Dictionary<string, object?>();
        foreach (var property in config.EnumerateObject()) values[property.Name] = property.Value;
        return FromConfig(name.GetString()!, values);
    }
}
