using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Runs a user's Map or Filter function on one element, on whichever thread calls it, and settles who owns which
/// tensor afterwards: what the function made and returned is detached from the function's DisposeScope, an input it
/// returned stays, a tensor it returned from elsewhere (a captured constant) is aliased so that disposing the element
/// cannot dispose the original, and everything else (its temporaries, the inputs it dropped) is disposed.
/// </summary>
internal static class UserFunction
{
    /// <summary>Maps <paramref name="input"/> (which this call consumes) to the function's element, owned by the caller.</summary>
    public static Element Map(Func<Element, Generator?, Element> function, Element input, long index, Func<long, ulong>? seedOf)
    {
        var materialized = input.Materialize();
        var inputs = new HashSet<Tensor>(materialized.OwnedTensors(), ReferenceEqualityComparer.Instance);
        Element output;
        try
        {
            using var scope = torch.NewDisposeScope();
            using var generator = seedOf is null ? null : new Generator(seedOf(index));
            output = Call(() => function(materialized, generator), index, "Map")
                ?? throw new InvalidOperationException($"The function given to Map returned null for element {index}; return an Element.");
            var claimed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            output = output.Rebuild(leaf =>
            {
                if (leaf.IsSlice) throw new InvalidOperationException("Internal error: a Map function returned an unread row.");
                if (leaf.Owned is not { } t || !claimed.Add(t)) return leaf;
                if (scope.Contains(t))
                {
                    scope.Detach(t);
                    return leaf;
                }
                if (inputs.Contains(t)) return leaf;
                var alias = scope.Detach(t.alias());
                claimed.Add(alias);
                return new Component(alias);
            });
        }
        catch
        {
            foreach (var t in inputs) t.Dispose();
            throw;
        }
        var kept = new HashSet<Tensor>(output.OwnedTensors(), ReferenceEqualityComparer.Instance);
        foreach (var t in inputs)
            if (!kept.Contains(t)) t.Dispose();
        return output;
    }

    /// <summary>Whether <paramref name="input"/> passes; the element is not consumed (the tensors read for the test are disposed).</summary>
    public static bool Test(Func<Element, bool> predicate, Element input, long index)
    {
        var made = new List<Tensor>();
        var materialized = input.Materialize(made);
        try
        {
            using var scope = torch.NewDisposeScope();
            return Call(() => predicate(materialized), index, "Filter");
        }
        finally
        {
            foreach (var t in made) t.Dispose();
        }
    }

    private const string StructureKey = "Sequential.Data.StructureMismatch";

    /// <summary>
    /// The error of an element that does not have the structure a typed Map or Filter overload expects (<c>(x, y) =&gt; ...</c>
    /// on elements of <c>x</c> alone): thrown as it is, not wrapped as a failure of the user's function.
    /// </summary>
    public static InvalidOperationException StructureMismatch(string message)
    {
        var error = new InvalidOperationException(message);
        error.Data[StructureKey] = true;
        return error;
    }

    private static T Call<T>(Func<T> function, long index, string operation)
    {
        try
        {
            return function();
        }
        catch (Exception e) when (!e.Data.Contains(StructureKey))
        {
            throw new InvalidOperationException(
                $"The function given to {operation} failed on element {index} of the pass ({e.GetType().Name}: {e.Message}).", e);
        }
    }
}
