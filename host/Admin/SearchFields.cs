using System.Globalization;

namespace RulesMfa.Host.Admin;

/// <summary>
/// The query-string fields the admin API's searches share (the audit log's, the decision log's): each one that is wrong
/// is added to the errors under its own name, and the search answers with all of them.
/// </summary>
internal static class SearchFields
{
    /// <summary><c>from</c> and <c>to</c> (ISO 8601; UTC unless they say otherwise), each null when absent.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) TimeRange(string? from, string? to, List<FieldError> errors)
    {
        var fromTime = Time("from", from, errors);
        var toTime = Time("to", to, errors);
        if (fromTime > toTime)
        {
            errors.Add(new FieldError("to", "must not be before 'from'"));
        }

        return (fromTime, toTime);
    }

    /// <summary><c>limit</c>, a whole number from 1 to <paramref name="max"/>; null when absent.</summary>
    public static int? Limit(string? value, int max, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }

        errors.Add(new FieldError("limit", $"must be a whole number from 1 to {max}"));
        return null;
    }

    private static DateTimeOffset? Time(string field, string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add(new FieldError(field, "not a time: use ISO 8601, for example 2026-12-05T06:00:00Z"));
        return null;
    }
}
