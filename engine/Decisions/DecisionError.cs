namespace RulesMfa.Engine.Decisions;

/// <summary>Why a login was denied: an OAuth error code (<c>access_denied</c>, <c>unauthorized</c>, <c>temporarily_unavailable</c>) and a description.</summary>
public sealed record DecisionError(string Code, string Description)
{
    /// <summary>The code for every deny except an <c>UnauthorizedError</c>.</summary>
    public const string AccessDenied = "access_denied";

    /// <summary>The code for a rule's <c>UnauthorizedError</c>, as Auth0 answers.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The code for a login whose rules could not run now (the tenant's evaluations are all busy): try again later.</summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";
}
