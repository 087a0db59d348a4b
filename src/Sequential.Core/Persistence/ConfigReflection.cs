using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sequential.Activations;
using Sequential.Initializers;
using Sequential.Layers;
using Sequential.Optimizers;

namespace Sequential.Persistence;

/// <summary>
/// The one rule behind every saved configuration (layers, optimizers, losses): the public constructor with
/// the most parameters is the configuration; each parameter <c>p</c> is read back from the public property
/// named PascalCase(p) and saved under Keras's snake_case of its name (<c>useBias</c> -> <c>use_bias</c>), or under the
/// key a <see cref="ConfigKeyAttribute"/> on it gives. Loading calls the same constructor, matching keys without regard
/// to underscores and case, so files written with the camelCase keys of format version 1 still load. No code from a
/// file is ever executed: only constructors of types the library already knows are called, with plain JSON values.
/// </summary>
internal static class ConfigReflection
{
    /// <summary>
    /// The constructor that defines a type's configuration: the public one with the most parameters among those whose
    /// every parameter a configuration can hold (so a constructor taking an object, such as a TorchSharp module, is
    /// passed over for one taking its registered name).
    /// </summary>
    public static ConstructorInfo ConfigConstructor(Type type) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => CanRead(p.ParameterType) || IsNestedLayer(type, p.ParameterType)
                                                   || IsNestedOptimizer(type, p.ParameterType) || IsCode(p)))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
        ?? throw new InvalidOperationException(
            $"{type.Name} has no public constructor whose parameters a configuration can hold (strings, numbers, booleans, enums, " +
            "learning-rate schedules, arrays and tuples of them), so it cannot be saved or loaded by configuration.");

    /// <summary>Reads an object's configuration: configuration key (<see cref="Key"/>) -> JSON-friendly property value.</summary>
    public static Dictionary<string, object?> GetConfig(object instance)
    {
        var type = instance.GetType();
        var config = new Dictionary<string, object?>();
        foreach (var parameter in ConfigConstructor(type).GetParameters())
        {
            string propertyName = PascalCase(parameter.Name!);
            var property = type.GetProperty(propertyName, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException(
                    $"{type.Name} cannot be saved: its constructor parameter '{parameter.Name}' has no public property '{propertyName}'. " +
                    $"Add that property, or override GetConfig() in {type.Name}.");
            config[Key(parameter)] = ToJsonFriendly(property.GetValue(instance));
        }
        return config;
    }

    /// <summary>
    /// The key a constructor parameter is saved under: its <see cref="ConfigKeyAttribute"/>, else Keras's snake_case of
    /// its name (<c>kernelInitializer</c> -> <c>kernel_initializer</c>).
    /// </summary>
    public static string Key(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? SnakeCase(parameter.Name!);

    /// <summary>
    /// Keras's <c>to_snake_case</c>: <c>useBias</c> -> <c>use_bias</c>, <c>inputShape</c> -> <c>input_shape</c>; a name
    /// already in snake_case is unchanged.
    /// </summary>
    public static string SnakeCase(string name)
    {
        // Keras: re.sub("(.)([A-Z][a-z]+)", r"\1_\2"), then re.sub("([a-z])([A-Z])", r"\1_\2"), then lower().
        name = System.Text.RegularExpressions.Regex.Replace(name, "(.)([A-Z][a-z]+)", "$1_$2");
        return System.Text.RegularExpressions.Regex.Replace(name, "([a-z])([A-Z])", "$1_$2").ToLowerInvariant();
    }

    /// <summary>Whether a saved key names a parameter: its key or its C# name, compared without underscores and case
    /// (<c>use_bias</c>, <c>useBias</c> and <c>UseBias</c> are one key), so files with version 1's camelCase keys load.</summary>
    private static bool Names(string savedKey, ParameterInfo parameter) =>
        Folded(savedKey) == Folded(Key(parameter)) || Folded(savedKey) == Folded(parameter.Name!);

    private static string Folded(string key) => key.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Creates an object by calling its configuration constructor with values from a saved configuration.</summary>
    /// <exception cref="InvalidDataException">A value is missing, unknown, given twice (as <c>use_bias</c> and
    /// <c>useBias</c>) or of the wrong kind (an unknown initializer or activation included).</exception>
    public static object Create(Type type, IReadOnlyDictionary<string, object?> config, string what)
    {
        var constructor = ConfigConstructor(type);
        var all = constructor.GetParameters();
        var parameters = all.Where(p => !IsCode(p)).ToArray();
        var unknown = config.Keys.Where(k => !parameters.Any(p => Names(k, p))).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException(
                $"The configuration of {what} has unknown keys {string.Join(", ", unknown)}; {type.Name} takes {string.Join(", ", parameters.Select(Key))}.");
        var arguments = new object?[all.Length];
        for (int i = 0; i < all.Length; i++)
        {
            var p = all[i];
            if (IsCode(p)) continue; // a function is never read from a file: it stays null
            var given = config.Where(kv => Names(kv.Key, p)).ToList();
            if (given.Count > 1)
                throw new InvalidDataException(
                    $"The configuration of {what} gives '{Key(p)}' {given.Count} times ({string.Join(", ", given.Select(kv => kv.Key))}); give it once.");
            if (given.Count == 1)
            {
                var value = given[0].Value;
                try
                {
                    arguments[i] = FromJson(ToElement(value), p.ParameterType);
                }
                catch (InvalidDataException e) when (IsNested(p.ParameterType) || typeof(Optimizer).IsAssignableFrom(p.ParameterType))
                {
                    throw new InvalidDataException($"The configuration of {what} has a '{Key(p)}' that cannot be loaded: {e.Message}", e);
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or OverflowException or ArgumentException)
                {
                    throw new InvalidDataException(
                        $"The configuration of {what} has a value for '{Key(p)}' that is not a {p.ParameterType.Name}: {ToElement(value).GetRawText()}.", e);
                }
            }
            else if (p.HasDefaultValue)
            {
                arguments[i] = p.DefaultValue;
            }
            else
            {
                throw new InvalidDataException($"The configuration of {what} lacks '{Key(p)}', which {type.Name} requires.");
            }
        }
        try
        {
            return constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw new InvalidDataException($"The configuration of {what} is not valid: {inner.Message}", inner);
        }
    }

    /// <summary>Converts a property value to a form System.Text.Json writes as plain JSON.</summary>
    public static object? ToJsonFriendly(object? value) => value switch
    {
        null => null,
        string or bool or int or long or double or float or short or byte => value,
        Model model => throw new InvalidOperationException(
            $"Model \"{model.Name}\" is held by a layer's configuration, which can describe layers but not models; wrap a layer, " +
            "or make the model part of the outer model's graph."),
        Layer layer => NestedLayer(layer),
        Optimizer optimizer => NestedOptimizer(optimizer),
        ActivationFunction activation => ActivationJson(activation),
        Initializer initializer => InitializerJson(initializer),
        ConstantLearningRate constant => constant.Value,
        LearningRateSchedule schedule => schedule.ToJson(), // Keras's {"class_name": ..., "config": ...}
        JsonNode node => node,
        Enum e => e.ToString(),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => ToJsonFriendly(kv.Value)),
        System.Runtime.CompilerServices.ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => ToJsonFriendly(tuple[i])).ToArray(),
        System.Collections.IEnumerable items => items.Cast<object?>().Select(ToJsonFriendly).ToArray(),
        _ => throw new InvalidOperationException(
            $"A configuration value of type {value.GetType().Name} ({value}) has no JSON form; override GetConfig() to convert it."),
    };

    /// <summary>
    /// Whether a constructor parameter of <paramref name="owner"/> is a layer it wraps (TimeDistributed's, Bidirectional's
    /// <c>layer</c>): saved as the nested layer's <c>{"class_name", "config"}</c>, as Keras serializes a wrapped layer, and
    /// created again from <see cref="LayerRegistry"/> on load. Layers only: a model's constructor taking a layer keeps being
    /// passed over, and a model cannot be nested this way.
    /// </summary>
    private static bool IsNestedLayer(Type owner, Type parameter) =>
        typeof(Layer).IsAssignableFrom(owner) && !typeof(Model).IsAssignableFrom(owner)
        && typeof(Layer).IsAssignableFrom(parameter) && !typeof(Model).IsAssignableFrom(parameter);

    /// <summary>
    /// Whether a constructor parameter of an optimizer is an optimizer it wraps (LossScaleOptimizer's
    /// <c>inner_optimizer</c>): saved as the inner optimizer's <c>{"class_name", "config"}</c>, as Keras serializes it, and
    /// created again from <see cref="OptimizerRegistry"/> on load.
    /// </summary>
    private static bool IsNestedOptimizer(Type owner, Type parameter) =>
        typeof(Optimizer).IsAssignableFrom(owner) && typeof(Optimizer).IsAssignableFrom(parameter);

    /// <summary>A wrapped optimizer's configuration entry, as Keras's <c>serialize_keras_object</c> writes it.</summary>
    private static Dictionary<string, object?> NestedOptimizer(Optimizer optimizer) => Nested(optimizer.GetType().Name, optimizer.GetConfig());

    /// <summary>Creates a wrapped optimizer from its <c>{"class_name", "config"}</c> entry.</summary>
    /// <exception cref="FormatException">Not such an object, or an optimizer of another kind than the parameter takes.</exception>
    /// <exception cref="InvalidDataException">An unknown class, or a configuration its constructor does not take.</exception>
    private static Optimizer NestedOptimizerFromJson(JsonElement element, Type type)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("class_name", out var className) || className.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            throw new FormatException("a wrapped optimizer is an object {\"class_name\": ..., \"config\": {...}}");
        var optimizer = OptimizerRegistry.FromConfig(className.GetString()!, config.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value));
        return (Optimizer)CheckType(optimizer, type);
    }

    /// <summary>A wrapped layer's configuration entry, as Keras's <c>serialize_keras_object</c> writes it.</summary>
    private static Dictionary<string, object?> NestedLayer(Layer layer)
    {
        IReadOnlyDictionary<string, object?> config;
        try { config = layer.GetConfig(); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"Layer \"{layer.Name}\": {e.Message}", e); }
        var entry = new Dictionary<string, object?>
        {
            ["class_name"] = layer.GetType().Name,
            ["config"] = config.ToDictionary(kv => kv.Key, kv => ToJsonFriendly(kv.Value)),
        };
        // The wrapped layer's own policy, as a model's entry records each layer's (float32 when absent).
        if (layer.DtypePolicy.Name != DTypePolicy.Float32.Name) entry["dtype"] = layer.DtypePolicy.Name;
        return entry;
    }

    /// <summary>Creates a wrapped layer from its <c>{"class_name", "config"}</c> entry.</summary>
    /// <exception cref="FormatException">Not such an object, or a layer of another kind than the parameter takes.</exception>
    /// <exception cref="InvalidDataException">An unknown class, or a configuration its constructor does not take.</exception>
    private static Layer NestedLayerFromJson(JsonElement element, Type type)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("class_name", out var className) || className.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            throw new FormatException("a wrapped layer is an object {\"class_name\": ..., \"config\": {...}}");
        string policy = "float32";
        if (element.TryGetProperty("dtype", out var dtype))
            policy = dtype.ValueKind == JsonValueKind.String ? dtype.GetString()! : throw new FormatException("a wrapped layer's dtype is a policy name");
        var values = config.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        var layer = LayerRegistry.FromConfig(className.GetString()!, values);
        try
        {
            if (!type.IsInstanceOfType(layer)) throw new FormatException($"a {className.GetString()} layer where a {type.Name} is needed");
            layer.DtypePolicy = policy; // restored whatever the global policy is now; an unknown name is an ArgumentException
            return layer;
        }
        catch
        {
            layer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An initializer as a configuration holds it: its Keras name when it is exactly what that name creates (so files
    /// stay as they were before initializer objects), else Keras's <c>{"class_name": ..., "config": {...}}</c>.
    /// </summary>
    private static object InitializerJson(Initializer initializer) =>
        InitializerRegistry.IsDefaultOfItsName(initializer)
            ? initializer.Name
            : Nested(initializer.GetType().Name, initializer.GetConfig());

    /// <summary>An activation as a configuration holds it: its name, or <c>{"class_name": name, "config": arguments}</c>.</summary>
    /// <exception cref="InvalidOperationException">The activation is an anonymous function (a file cannot hold code).</exception>
    private static object ActivationJson(ActivationFunction activation)
    {
        if (activation.IsAnonymous)
            throw new InvalidOperationException(
                "its activation is an anonymous function, which a model file cannot hold. Name it and register it: " +
                "ActivationRegistry.Register(\"my_activation\", x => ...), then pass activation: \"my_activation\".");
        return activation.Config.Count == 0 ? activation.Name : Nested(activation.Name, activation.Config);
    }

    private static Dictionary<string, object?> Nested(string className, IReadOnlyDictionary<string, object?> config) => new()
    {
        ["class_name"] = className,
        ["config"] = config.ToDictionary(kv => kv.Key, kv => ToJsonFriendly(kv.Value)),
    };

    /// <summary>Reads an initializer or activation saved by <see cref="InitializerJson"/> or <see cref="ActivationJson"/>:
    /// a name, or an object with <c>class_name</c> and <c>config</c>.</summary>
    private static object ReadNested(JsonElement element, Type type)
    {
        bool activation = type == typeof(ActivationFunction);
        if (element.ValueKind == JsonValueKind.String)
        {
            string name = element.GetString()!;
            try
            {
                return activation ? ActivationRegistry.Get(name) : CheckType(InitializerRegistry.Get(name), type);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(e.Message, e);
            }
        }
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("class_name", out var className) || className.ValueKind != JsonValueKind.String)
            throw new FormatException("expected a name or an object with \"class_name\" and \"config\"");
        var config = new Dictionary<string, object?>();
        if (element.TryGetProperty("config", out var values))
        {
            if (values.ValueKind != JsonValueKind.Object) throw new FormatException("\"config\" is not an object");
            foreach (var property in values.EnumerateObject()) config[property.Name] = property.Value;
        }
        return activation
            ? ActivationRegistry.FromConfig(className.GetString()!, config)
            : CheckType(InitializerRegistry.FromConfig(className.GetString()!, config), type);
    }

    /// <summary>Whether a parameter holds an initializer or an activation (read by <see cref="ReadNested"/>).</summary>
    private static bool IsNested(Type type) => type == typeof(ActivationFunction) || typeof(Initializer).IsAssignableFrom(type);

    private static object CheckType(object value, Type type) =>
        type.IsInstanceOfType(value) ? value : throw new FormatException($"a {value.GetType().Name} is not a {type.Name}");

    /// <summary>Turns a configuration value (a CLR value or an already parsed JSON element) into a JSON element.</summary>
    public static JsonElement ToElement(object? value) => value switch
    {
        JsonElement element => element,
        JsonNode node => JsonSerializer.SerializeToElement(node),
        _ => JsonSerializer.SerializeToElement(ToJsonFriendly(value)),
    };

    /// <summary>Converts a JSON element back to a constructor parameter's type.</summary>
    public static object? FromJson(JsonElement element, Type type)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (type.IsValueType && Nullable.GetUnderlyingType(type) is null)
                throw new FormatException("null given for a value type");
            return null;
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (typeof(Layer).IsAssignableFrom(type)) return NestedLayerFromJson(element, type);
        if (typeof(Optimizer).IsAssignableFrom(type)) return NestedOptimizerFromJson(element, type);
        if (typeof(LearningRateSchedule).IsAssignableFrom(type))
        {
            // A learning rate: a number, or a schedule's class and configuration.
            var schedule = element.ValueKind == JsonValueKind.Number ? (LearningRateSchedule)element.GetDouble() : ScheduleRegistry.FromJson(element);
            return type.IsInstanceOfType(schedule) ? schedule : throw new FormatException($"a {schedule.GetType().Name} is not a {type.Name}");
        }
        if (type == typeof(string)) return element.ValueKind == JsonValueKind.String ? element.GetString() : throw new FormatException("not a string");
        if (type == typeof(bool)) return element.GetBoolean();
        if (type == typeof(int)) return element.GetInt32();
        if (type == typeof(long)) return element.GetInt64();
        if (type == typeof(double)) return element.GetDouble();
        if (type == typeof(float)) return element.GetSingle();
        if (type.IsEnum) return Enum.Parse(type, element.GetString() ?? throw new FormatException("not a string"), ignoreCase: true);
        if (IsNested(type)) return ReadNested(element, type);
        // Read-only list and sequence parameters (IReadOnlyList<double>, IEnumerable<string>, ...) take an array.
        if (type.IsGenericType && !type.IsArray && type.GetGenericArguments() is [var listItem]
            && type.IsAssignableFrom(listItem.MakeArrayType()))
            type = listItem.MakeArrayType();
        if (type.IsArray)
        {
            var itemType = type.GetElementType()!;
            var items = element.EnumerateArray().Select(e => FromJson(e, itemType)).ToArray();
            var array = Array.CreateInstance(itemType, items.Length);
            for (int i = 0; i < items.Length; i++) array.SetValue(items[i], i);
            return array;
        }
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var argumentTypes = type.GetGenericArguments();
            var items = element.EnumerateArray().ToArray();
            if (items.Length != argumentTypes.Length) throw new FormatException($"expected {argumentTypes.Length} values");
            return Activator.CreateInstance(type, items.Select((e, i) => FromJson(e, argumentTypes[i])).ToArray());
        }
        throw new InvalidOperationException($"parameters of type {type.Name} cannot be read from a configuration");
    }

    /// <summary>
    /// An optional function parameter (TextVectorization's <c>standardizeFunction</c>): code, which a configuration never
    /// holds, so the constructor still defines the configuration and loading leaves it null. The type's GetConfig refuses
    /// to save an instance that has one.
    /// </summary>
    private static bool IsCode(ParameterInfo p) => typeof(Delegate).IsAssignableFrom(p.ParameterType) && p.HasDefaultValue && p.DefaultValue is null;

    /// <summary>Whether <see cref="FromJson"/> reads values of a type (keep the two in step).</summary>
    public static bool CanRead(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(long) || type == typeof(double)
            || type == typeof(float) || type.IsEnum || IsNested(type) || typeof(LearningRateSchedule).IsAssignableFrom(type))
            return true;
        if (type.IsGenericType && !type.IsArray && type.GetGenericArguments() is [var listItem]
            && type.IsAssignableFrom(listItem.MakeArrayType()))
            return CanRead(listItem);
        if (type.IsArray) return CanRead(type.GetElementType()!);
        return type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)
            && type.GetGenericArguments().All(CanRead);
    }

    /// <summary>camelCase or snake_case to PascalCase: <c>useBias</c> -> <c>UseBias</c>, <c>use_bias</c> -> <c>UseBias</c>.</summary>
    public static string PascalCase(string name) =>
        string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}
