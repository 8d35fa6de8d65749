using RulesMfa.Host.Admin;

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
        var (fromTime, toTime) = SearchFields.TimeRange(from, to, errors);
        var size = SearchFields.Limit(limit, MaxLimit, errors);

        return errors.Count > 0 ? (null, errors) : (new DecisionQuery(user, client, outcome, fromTime, toTime, size), errors);
    }
}
