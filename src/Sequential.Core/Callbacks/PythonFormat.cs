using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sequential.Callbacks;

/// <summary>
/// Python's <c>str.format</c> for the named placeholders Keras file paths use (<c>{epoch:02d}</c>,
/// <c>{val_loss:.2f}</c>, <c>{{</c> and <c>}}</c>), with the format-spec mini-language
/// <c>[[fill]align][sign][0][width][,][.precision][type]</c> for types d, f, F, e, E, g, G, %, s and none.
/// </summary>
internal static partial class PythonFormat
{
    [GeneratedRegex(@"^(?:(?<fill>.)?(?<align>[<>=^]))?(?<sign>[-+ ])?(?<zero>0)?(?<width>\d+)?(?<comma>,)?(?:\.(?<precision>\d+))?(?<type>[dfFeEgGs%])?$")]
    private static partial Regex Spec();

    /// <summary>Formats <paramref name="template"/> with named values (ints stay ints, other numbers are floats).</summary>
    /// <exception cref="KeyNotFoundException">A placeholder names no value.</exception>
    /// <exception cref="FormatException">A placeholder or spec is malformed.</exception>
    public static string Format(string template, IReadOnlyDictionary<string, object> values)
    {
        var output = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{') { output.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { output.Append('}'); i++; continue; }
            if (c == '}') throw new FormatException($"Single '}}' encountered in format string \"{template}\".");
            if (c != '{') { output.Append(c); continue; }
            int end = template.IndexOf('}', i);
            if (end < 0) throw new FormatException($"Single '{{' encountered in format string \"{template}\".");
            string field = template[(i + 1)..end];
            int colon = field.IndexOf(':');
            string name = colon < 0 ? field : field[..colon];
            string spec = colon < 0 ? "" : field[(colon + 1)..];
            if (!values.TryGetValue(name, out var value))
                throw new KeyNotFoundException(name);
            output.Append(FormatValue(value, spec));
            i = end;
        }
        return output.ToString();
    }

    /// <summary>Formats one value as Python's <c>format(value, spec)</c>.</summary>
    public static string FormatValue(object value, string spec)
    {
        var m = Spec().Match(spec);
        if (!m.Success) throw new FormatException($"Invalid format specifier '{spec}'.");
        bool isInt = value is int or long;
        double number = value switch { int i => i, long l => l, double d => d, float f => f, _ => double.NaN };
        char type = m.Groups["type"].Success ? m.Groups["type"].Value[0] : '\0';
        int? precision = m.Groups["precision"].Success ? int.Parse(m.Groups["precision"].Value, CultureInfo.InvariantCulture) : null;
        bool comma = m.Groups["comma"].Success;
        string body;
        bool negative = false;
        if (value is string s)
        {
            body = precision is { } p && p < s.Length ? s[..p] : s;
        }
        else
        {
            if (type == 'd' && !isInt)
                throw new FormatException($"Unknown format code 'd' for object of type 'float' (value {value}).");
            negative = number < 0 || (number == 0 && double.IsNegative(number));
            double magnitude = Math.Abs(number);
            body = type switch
            {
                'd' => Group(((long)magnitude).ToString(CultureInfo.InvariantCulture), comma),
                'f' or 'F' => Fixed(magnitude, precision ?? 6, comma),
                '%' => Fixed(magnitude * 100, precision ?? 6, comma) + "%",
                'e' or 'E' => Exponent(magnitude, precision ?? 6, type == 'E'),
                'g' or 'G' => General(magnitude, precision ?? 6, type == 'G', keepZeros: false),
                _ => isInt ? Group(((long)magnitude).ToString(CultureInfo.InvariantCulture), comma) : Repr(magnitude, precision),
            };
            if (double.IsNaN(number)) { body = type is 'E' or 'F' or 'G' ? "NAN" : "nan"; negative = false; }
            else if (double.IsInfinity(number)) body = type is 'E' or 'F' or 'G' ? "INF" : "inf";
        }
        string sign = negative ? "-" : m.Groups["sign"].Value switch { "+" => "+", " " => " ", _ => "" };
        int width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
        bool zero = m.Groups["zero"].Success;
        char fill = m.Groups["fill"].Success ? m.Groups["fill"].Value[0] : (zero && !m.Groups["align"].Success ? '0' : ' ');
        char align = m.Groups["align"].Success ? m.Groups["align"].Value[0] : (zero ? '=' : value is string ? '<' : '>');
        int pad = Math.Max(0, width - sign.Length - body.Length);
        return align switch
        {
            '<' => sign + body + new string(fill, pad),
            '^' => new string(fill, pad / 2) + sign + body + new string(fill, pad - pad / 2),
            '=' => sign + new string(fill, pad) + body,
            _ => new string(fill, pad) + sign + body,
        };
    }

    private static string Group(string digits, bool comma)
    {
        if (!comma) return digits;
        int dot = digits.IndexOf('.');
        string integer = dot < 0 ? digits : digits[..dot];
        string rest = dot < 0 ? "" : digits[dot..];
        return long.Parse(integer, CultureInfo.InvariantCulture).ToString("#,0", CultureInfo.InvariantCulture) + rest;
    }

    private static string Fixed(double x, int precision, bool comma) =>
        Group(x.ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), comma);

    private static string Exponent(double x, int precision, bool upper)
    {
        string text = x.ToString((upper ? "E" : "e") + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        // .NET writes three exponent digits (1.5e+001); Python at least two (1.5e+01).
        int e = text.IndexOfAny(['e', 'E']);
        string mantissa = text[..e];
        char expSign = text[e + 1];
        string digits = text[(e + 2)..].TrimStart('0');
        if (digits.Length < 2) digits = digits.PadLeft(2, '0');
        return mantissa + text[e] + expSign + digits;
    }

    private static string General(double x, int precision, bool upper, bool keepZeros)
    {
        if (precision == 0) precision = 1;
        if (x == 0) return "0";
        int exponent = (int)Math.Floor(Math.Log10(x));
        // Rounding can carry into the next power of ten (9.9999 -> 10.0).
        string probe = Exponent(x, precision - 1, upper);
        exponent = int.Parse(probe[(probe.IndexOfAny(['e', 'E']) + 1)..], CultureInfo.InvariantCulture);
        string text = exponent < -4 || exponent >= precision
            ? probe
            : x.ToString("F" + Math.Max(0, precision - 1 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (!keepZeros)
        {
            int e = text.IndexOfAny(['e', 'E']);
            string mantissa = e < 0 ? text : text[..e];
            string tail = e < 0 ? "" : text[e..];
            if (mantissa.Contains('.')) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
            text = mantissa + tail;
        }
        return text;
    }

    /// <summary>Python's <c>repr</c>/<c>str</c> of a float with an optional <c>.precision</c> (then <c>g</c>-like).</summary>
    private static string Repr(double x, int? precision) =>
        precision is { } p ? General(x, p, upper: false, keepZeros: false) : Str(x);

    /// <summary>
    /// Python's <c>str(float)</c> (equal to <c>repr</c> since Python 3.2): the shortest digits that round-trip,
    /// positional for decimal exponents in [-4, 16) with at least one digit after the point (<c>0.1</c>, <c>1.0</c>,
    /// <c>1234567.0</c>, <c>1000000000000000.5</c>), else scientific with a two-digit exponent (<c>1e-05</c>,
    /// <c>1e+16</c>); <c>nan</c>, <c>inf</c>, <c>-inf</c>, <c>-0.0</c>. Every file and name the library writes
    /// numbers into as Keras would (CSVLogger, History.SaveCsv, ModelCheckpoint paths) uses this one formatter.
    /// </summary>
    /// <param name="value">Any double.</param>
    /// <returns>The text Python prints for the same float.</returns>
    public static string Str(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        string sign = double.IsNegative(value) ? "-" : "";
        if (value == 0) return sign + "0.0";
        // .NET's "R" gives the same shortest round-trip digits as Python; only the layout differs (1E-05, 1E+15).
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = 0;
        int ePos = r.IndexOf('E');
        if (ePos >= 0)
        {
            e = int.Parse(r[(ePos + 1)..], CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        int dot = r.IndexOf('.');
        string all = dot < 0 ? r : r.Remove(dot, 1);
        int point = (dot < 0 ? r.Length : dot) + e;
        int leading = all.Length - all.TrimStart('0').Length;
        string digits = all.Trim('0');
        int x = point - leading - 1; // value = d.ddd * 10^x
        if (x is >= -4 and < 16)
        {
            if (x < 0) return sign + "0." + new string('0', -x - 1) + digits;
            string whole = digits.Length > x + 1 ? digits[..(x + 1)] : digits.PadRight(x + 1, '0');
            string fraction = digits.Length > x + 1 ? digits[(x + 1)..] : "0";
            return sign + whole + "." + fraction;
        }
        string mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return sign + mantissa + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
    }
}
