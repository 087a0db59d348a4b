namespace Sequential.Data;

/// <summary>
/// An element does not have the structure a typed Map or Filter overload expects (<c>(x, y) => ...</c> on elements of
/// <c>x</c> alone, say). Thrown as is, not wrapped as a failure of the user's function.
/// </summary>
internal sealed class DatasetStructureException(string message) : InvalidOperationException(message);
