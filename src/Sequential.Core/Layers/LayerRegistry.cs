using System.Reflection;
using Sequential.Persistence;

namespace Sequential.Layers;

/// <summary>
/// The registry of layer types that saved models may name (Keras's <c>custom_objects</c> /
/// <c>register_keras_serializable</c>). Every non-abstract <see cref="Layer"/> subclass in the Sequential
/// assemblies is known; register your own layers with <see cref="Register{T}"/> before loading a model
/// that uses them.
/// </summary>
/// <example>
/// <code>
/// LayerRegistry.Register&lt;MyLayer&gt;();
/// var model = SequentialModel.Load("model.seqmodel");
/// </code>
/// </example>
public static class LayerRegistry
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Type> Registered = new(StringComparer.Ordinal);
    private static Dictionary<string, Type>? _builtIn;

    /// <summary>Makes a user layer type loadable by its class name.</summary>
    /// <typeparam name="T">A non-abstract layer whose largest public constructor's parameters each have a same-named PascalCase public property (or which overrides <see cref="Layer.GetConfig"/>).</typeparam>
    public static void Register<T>() where T : Layer
    {
        if (typeof(T).IsAbstract)
            throw new ArgumentException($"{typeof(T).Name} is abstract; register a concrete layer type.", nameof(T));
        lock (Gate) Registered[typeof(T).Name] = typeof(T);
    }

    /// <summary>The class names of every known layer type, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate) return [.. BuiltIn().Keys.Union(Registered.Keys).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Finds a layer type by its class name (e.g. <c>Dense</c>).</summary>
    /// <param name="className">The class name as saved in a model file.</param>
    /// <returns>The layer type.</returns>
    /// <exception cref="InvalidDataException">The name is unknown; the message says how to register it.</exception>
    public static Type Get(string className)
    {
        ArgumentNullException.ThrowIfNull(className);
        lock (Gate)
        {
            if (Registered.TryGetValue(className, out var type) || BuiltIn().TryGetValue(className, out type)) return type;
        }
        throw new InvalidDataException(
            $"Unknown layer type '{className}'. If it is your own layer, call {typeof(LayerRegistry).FullName}.Register<{className}>() before loading. " +
            $"Known layer types: {string.Join(", ", Names)}.");
    }

    /// <summary>Creates a layer from its class name and the configuration returned by <see cref="Layer.GetConfig"/>.</summary>
    /// <param name="className">The layer's class name, e.g. <c>Dense</c>.</param>
    /// <param name="config">Constructor argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>A new, unbuilt layer.</returns>
    /// <exception cref="InvalidDataException">Unknown type, or a configuration that does not fit its constructor.</exception>
    public static Layer FromConfig(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var type = Get(className);
        return (Layer)ConfigReflection.Create(type, config, $"layer type {className}");
    }

    private static Dictionary<string, Type> BuiltIn()
    {
        if (_builtIn is not null) return _builtIn;
        // Sequential.Layers may not be loaded yet in a process that only calls Load.
        foreach (var name in new[] { "Sequential.Layers" })
        {
            try { Assembly.Load(name); }
            catch (IOException) { }
        }
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()
                     .Where(a => a.GetName().Name is { } n && (n == "Sequential.Core" || n.StartsWith("Sequential.", StringComparison.Ordinal))))
        {
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (ReflectionTypeLoadException e) { types = [.. e.Types.OfType<Type>()]; }
            foreach (var type in types.Where(t => t.IsPublic && !t.IsAbstract && typeof(Layer).IsAssignableFrom(t)))
                map.TryAdd(type.Name, type);
        }
        return _builtIn = map;
    }
}
