using System.Globalization;

namespace RulesMfa.Host.Admin.AuditLog;

/// <summary>
/// A search of the audit log, as the query string gives it: <see cref="Action"/> is an event type (<c>rule.saved</c>) or its
/// family (<c>rule</c>), <see cref="Actor"/> part of who did it, <see cref="From"/>/<see cref="To"/> bound the time,
/// <see cref="Before"/> is the cursor of the next page (an event id) and <see cref="Limit"/> the page size.
/// </summary>
public sealed record AuditQuery(string? Action, string? Actor, DateTimeOffset? From, DateTimeOffset? To, long? Before, int Limit)
{
    /// <summary>A page holds 50 events unless <c>limit</c> says otherwise, and at most 200.</summary>
    public const int DefaultLimit = 50;

    public const int MaxLimit = 200;

    /// <summary>The query, or every field that is wrong (named as in the query string).</summary>
    public static (AuditQuery? Query, IReadOnlyList<FieldError> Errors) Parse(
        string? action, string? actor, string? from, string? to, string? before, string? limit)
    {
        var errors = new List<FieldError>();
        var (fromTime, toTime) = SearchFields.TimeRange(from, to, errors);

        long? cursor = null;
        if (!string.IsNullOrWhiteSpace(before))
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                cursor = id;
            }
            else
            {
                errors.Add(new FieldError("before", "must be an event id (a positive whole number) from the previous page"));
            }
        }

        var size = SearchFields.Limit(limit, MaxLimit, errors) ?? DefaultLimit;

        return errors.Count > 0 ? (null, errors) : (new AuditQuery(Trimmed(action), Trimmed(actor), fromTime, toTime, cursor, size), errors);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
