using System.Globalization;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Admin.AuditLog;

namespace RulesMfa.Host.SandboxConsole.Replay;

/// <summary>
/// A search of the decision log: <see cref="User"/> is a user id or part of an email, <see cref="Client"/> a client id,
/// <see cref="Outcome"/> <c>allow</c>, <c>mfa</c> or <c>deny</c>, and <see cref="From"/>/<see cref="To"/> bound the time;
/// newest first, at most <see cref="Limit"/> (1 to 200, default 20).
/// </summary>
public sealed record DecisionQuery(string? User, string? Client, string? Outcome, DateTimeOffset? From, DateTimeOffset? To, int? Limit)
{
    public const int MaxLimit = 200;

    /// <summary>
    /// The query as the query string gives it, or every time and limit that is wrong, named as in the query string (the
    /// framework's own binding answered those with a bare 400 naming nothing).
    /// </summary>
    public static (DecisionQuery? Query, IReadOnlyList<FieldError> Errors) Parse(
        string? user, string? client, string? outcome, string? from, string? to, string? limit)
    {
        var errors = new List<FieldError>();
        var fromTime = AuditQuery.Time("from", from, errors);
        var toTime = AuditQuery.Time("to", to, errors);
        if (fromTime > toTime)
        {
            errors.Add(new FieldError("to", "must not be before 'from'"));
        }

        int? size = null;
        if (!string.IsNullOrWhiteSpace(limit))
        {
            if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= MaxLimit)
            {
                size = parsed;
            }
            else
            {
                errors.Add(new FieldError("limit", $"must be a whole number from 1 to {MaxLimit}"));
            }
        }

        return errors.Count > 0 ? (null, errors) : (new DecisionQuery(user, client, outcome, fromTime, toTime, size), errors);
    }
}
