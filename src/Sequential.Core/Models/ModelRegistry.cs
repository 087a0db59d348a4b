using Sequential.Persistence;

namespace Sequential;

/// <summary>
/// The model classes a model file may name besides <see cref="SequentialModel"/> (Keras's
/// <c>register_keras_serializable</c> for a subclassed model). A registered subclass is saved whole by
/// <see cref="Model.Save"/> as its class name, its configuration (<see cref="Model.GetConfig"/>), its input shape and
/// its weights; <see cref="Model.Load"/> calls its public constructor with that configuration, builds it and loads the
/// weights. Its layers come from its code, as in Keras.
/// </summary>
/// <example>
/// <code>
/// ModelRegistry.Register&lt;Mlp&gt;();
/// model.Save("mlp.seqmodel");
/// var again = (Mlp)Model.Load("mlp.seqmodel");
/// </code>
/// </example>
public static class ModelRegistry
{
    private static readonly TypeRegistry<Model> Classes = new("model", typeof(ModelRegistry).FullName!, []);

    /// <summary>Makes a model subclass savable and loadable by its class name.</summary>
    /// <typeparam name="T">A non-abstract model whose largest public constructor's parameters each have a same-named
    /// PascalCase public property (or which overrides <see cref="Model.GetConfig"/>); a parameterless one needs nothing.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is abstract or has no public constructor.</exception>
    public static void Register<T>() where T : Model => Classes.Register(typeof(T));

    /// <summary>The registered class names, sorted.</summary>
    public static IReadOnlyList<string> ClassNames => Classes.ClassNames;

    /// <summary>Creates a registered model from its class name and configuration.</summary>
    /// <param name="className">The class name as saved in a model file.</param>
    /// <param name="config">Constructor argument name -> value.</param>
    /// <returns>A new, unbuilt model.</returns>
    /// <exception cref="InvalidDataException">The class is not registered (the message says how to register it), or the
    /// configuration does not fit its constructor.</exception>
    public static Model FromConfig(string className, IReadOnlyDictionary<string, object?> config) => Classes.Create(className, config);

    /// <summary>Whether <paramref name="type"/> is registered.</summary>
    internal static bool IsRegistered(Type type) => Classes.Knows(type);

    /// <summary>Whether a model class is registered under <paramref name="className"/> (a model file's nested model).</summary>
    internal static bool IsRegistered(string className) => Classes.Knows(className);

    /// <summary>The model class registered under <paramref name="className"/>, or null.</summary>
    internal static Type? TypeOf(string className) => Classes.Find(className);
}
