namespace RulesMfa.Host.Factors;

/// <summary>
/// The actions one part of a factor (its challenge or its enrollment) posts. The page refuses any other action before
/// the factor sees the post, and takes an attempt from the user's bucket before an action that checks a secret: a factor
/// cannot be asked to check a code under a name that skips the bucket. A challenge post that checks a secret keeps one
/// database connection for its whole request, so such an action compares with what is stored and calls nothing outside
/// the process (no sender, no HTTP): sending belongs to the other actions.
/// </summary>
public sealed class FactorActions
{
    private readonly HashSet<string> checkingSecret;
    private readonly HashSet<string> others;

    private FactorActions(IEnumerable<string> checkingSecret, IEnumerable<string> others)
    {
        this.checkingSecret = new HashSet<string>(checkingSecret, StringComparer.Ordinal);
        this.others = new HashSet<string>(others, StringComparer.Ordinal);
    }

    /// <summary>A part that posts nothing.</summary>
    public static FactorActions None { get; } = new([], []);

    /// <summary>The actions that check a secret (a code, an assertion), then those that do not (send, poll, start again).</summary>
    public static FactorActions Of(IEnumerable<string> checkingSecret, params IEnumerable<string> others) => new(checkingSecret, others);

    public bool Knows(string action) => checkingSecret.Contains(action) || others.Contains(action);

    public bool ChecksSecret(string action) => checkingSecret.Contains(action);
}
