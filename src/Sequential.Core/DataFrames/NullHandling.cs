namespace Sequential;

/// <summary>
/// What the DataFrame overloads (<c>Fit</c>, <c>Evaluate</c>, <c>Predict</c>, <c>ToTensor</c>,
/// <c>Normalization.Adapt</c>) do with null (missing) values in the columns they read.
/// </summary>
/// <remarks>
/// Missing values never become NaN silently: a NaN input turns every weight into NaN after one step.
/// Fill them yourself (<c>column.FillNulls(value)</c> from Microsoft.Data.Analysis) or choose <see cref="Drop"/>.
/// </remarks>
public enum NullHandling
{
    /// <summary>Throw an <see cref="ArgumentException"/> naming each column with nulls and how many it has (the default).</summary>
    Error,

    /// <summary>Leave out every row that has a null in any of the columns read (features and labels).</summary>
    Drop,
}
