namespace Sequential.Persistence;

/// <summary>
/// The class names a model file may name for one kind of object (losses, metrics, optimizers): the built-in types plus
/// those registered with <c>Register&lt;T&gt;()</c> (Keras's <c>register_keras_serializable</c>). Loading looks names up
/// here only, so a file can make the library call nothing but constructors of these types.
/// </summary>
/// <param name="kind">What is registered, for messages: <c>"loss"</c>.</param>
/// <param name="registry">The public registry class, for messages: <c>"Sequential.Losses.LossRegistry"</c>.</param>
/// <param name="builtIn">The built-in types, found by their class names.</param>
internal sealed class TypeRegistry<TBase>(string kind, string registry, IEnumerable<Type> builtIn) where TBase : class
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Type> _builtIn = builtIn.ToDictionary(t => t.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _registered = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="type"/> loadable by its class name; a registered type shadows a built-in one of the same name.</summary>
    /// <exception cref="ArgumentException">The type is abstract or has no public constructor.</exception>
    public void Register(Type type)
    {
        if (type.IsAbstract)
            throw new ArgumentException($"{type.Name} is abstract; register a concrete {kind} type.", "T");
        if (type.GetConstructors().Length == 0)
            throw new ArgumentException(
                $"{type.Name} has no public constructor; Load creates a {kind} by calling its public constructor with the saved configuration.", "T");
        lock (_gate) _registered[type.Name] = type;
    }

    /// <summary>Whether <paramref name="type"/> is built in or registered under its class name.</summary>
    public bool Knows(Type type)
    {
        lock (_gate)
            return (_registered.TryGetValue(type.Name, out var known) || _builtIn.TryGetValue(type.Name, out known)) && known == type;
    }

    /// <summary>Whether a type is built in or registered under <paramref name="className"/>.</summary>
    public bool Knows(string className) => Find(className) is not null;

    /// <summary>The type registered (or built in) under <paramref name="className"/>, or null.</summary>
    public Type? Find(string className)
    {
        lock (_gate) return _registered.TryGetValue(className, out var type) || _builtIn.TryGetValue(className, out type) ? type : null;
    }

    /// <summary>The class names of every known type, sorted.</summary>
    public IReadOnlyList<string> ClassNames
    {
        get
        {
            lock (_gate) return [.. _builtIn.Keys.Union(_registered.Keys).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Creates an object of the named type from a saved configuration.</summary>
    /// <exception cref="InvalidDataException">The class name is unknown (the message says how to register it), or the
    /// configuration does not fit the type's constructor.</exception>
    public TBase Create(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        Type? type;
        lock (_gate)
        {
            if (!_registered.TryGetValue(className, out type)) _builtIn.TryGetValue(className, out type);
        }
        if (type is null)
            throw new InvalidDataException(
                $"Unknown {kind} class '{className}'. If it is your own {kind}, call {registry}.Register<{className}>() before loading. " +
                $"Known {kind} classes: {string.Join(", ", ClassNames)}.");
        return (TBase)ConfigReflection.Create(type, config, $"{kind} {className}");
    }
}
