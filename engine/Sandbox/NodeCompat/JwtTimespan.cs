using System.Globalization;
using System.Text.RegularExpressions;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// jsonwebtoken's <c>expiresIn</c>/<c>notBefore</c>: a number of seconds, or a string in the <c>ms</c> package's
/// format ("2 days", "10h", "7d"; a bare number in a string means milliseconds), counted from a timestamp as its
/// timespan.js does, in JavaScript's numbers: a span too long for a <c>long</c> (1e21) gives the same double as Node.
/// </summary>
internal static partial class JwtTimespan
{
    private static readonly Dictionary<string, double> Milliseconds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["years"] = 31_557_600_000, ["year"] = 31_557_600_000, ["yrs"] = 31_557_600_000, ["yr"] = 31_557_600_000, ["y"] = 31_557_600_000,
        ["weeks"] = 604_800_000, ["week"] = 604_800_000, ["w"] = 604_800_000,
        ["days"] = 86_400_000, ["day"] = 86_400_000, ["d"] = 86_400_000,
        ["hours"] = 3_600_000, ["hour"] = 3_600_000, ["hrs"] = 3_600_000, ["hr"] = 3_600_000, ["h"] = 3_600_000,
        ["minutes"] = 60_000, ["minute"] = 60_000, ["mins"] = 60_000, ["min"] = 60_000, ["m"] = 60_000,
        ["seconds"] = 1_000, ["second"] = 1_000, ["secs"] = 1_000, ["sec"] = 1_000, ["s"] = 1_000,
        ["milliseconds"] = 1, ["millisecond"] = 1, ["msecs"] = 1, ["msec"] = 1, ["ms"] = 1, [""] = 1,
    };

    /// <summary>What jsonwebtoken's options schema takes as a timespan: a whole number (lodash's <c>isInteger</c>) or a non-empty string.</summary>
    public static bool IsWholeNumberOrText(Jint.Native.JsValue value) => value.IsNumber()
        ? double.IsFinite(value.AsNumber()) && Math.Floor(value.AsNumber()) == value.AsNumber()
        : value.IsString() && value.AsString().Length > 0;

    /// <summary>The time <paramref name="value"/> after <paramref name="timestamp"/> (seconds), or null when unreadable.</summary>
    public static double? At(Jint.Native.JsValue value, double timestamp)
    {
        if (value.IsNumber())
        {
            return timestamp + value.AsNumber();
        }

        if (!value.IsString() || value.AsString().Length > 100)
        {
            return null;
        }

        var match = Format().Match(value.AsString());
        return match.Success && Milliseconds.TryGetValue(match.Groups["unit"].Value, out var unit)
            ? Math.Floor(timestamp + double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture) * unit / 1000)
            : null;
    }

    // ms's pattern as JavaScript reads it: .NET's \d would take any script's digits (which double.Parse refuses: an
    // internal error) and its $ a string ending in a line break.
    [GeneratedRegex(@"^(?<amount>-?(?:[0-9]+)?\.?[0-9]+) *(?<unit>[a-z]*)\z", RegexOptions.IgnoreCase)]
    private static partial Regex Format();
}
