namespace RulesMfa.Host.Factors;

/// <summary>What a factor made of a post: a closed set, so the page decides what follows once for every factor.</summary>
public abstract record FactorResult
{
    private FactorResult()
    {
    }

    /// <summary>The factor passed (a challenge) or is confirmed (an enrollment), earning these <c>amr</c> values.</summary>
    public sealed record Passed(IReadOnlyList<string> Amr) : FactorResult
    {
        /// <summary>A new recovery code to show once (a recovery code was used up).</summary>
        public string? RecoveryCodeToShow { get; init; }
    }

    /// <summary>A wrong secret: audited as <c>mfa.failed</c>; the page shows <paramref name="Message"/>.</summary>
    public sealed record Failed(string Message, object? State = null) : FactorResult;

    /// <summary>Nothing decided yet (a code was sent, a field is missing): the page is shown again, with <paramref name="Message"/> if any.</summary>
    public sealed record Pending(string? Message, object? State = null) : FactorResult;

    /// <summary>The user continues at the factor's own service (Duo's prompt), which sends them back to its <see cref="IFactorCallback"/>.</summary>
    public sealed record Redirect(string Url) : FactorResult;

    /// <summary>
    /// The factor's service cannot be used now (Duo is down) and the login may not go on without it: the login ends on the
    /// page that says <paramref name="Description"/>, and the application gets <c>access_denied</c> with it.
    /// </summary>
    public sealed record Unavailable(string Description) : FactorResult;
}
