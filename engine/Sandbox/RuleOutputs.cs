using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// What the rules of one login have asked for so far. Rules and Actions write here in run order, so the
/// later request wins; the pipeline turns it into an <see cref="MfaDecision"/>.
/// </summary>
internal sealed class RuleOutputs(int maxLogEntries, int maxLogMessageLength)
{
    private readonly List<RuleLogEntry> logs = [];
    private bool logLimitReported;

    // The request last found to fit: a request is never changed in place once set (a new one replaces it), so it is
    // measured once, not after every later rule.
    private JsonObject? measuredMultifactor;

    public IReadOnlyList<RuleLogEntry> Logs => logs;

    public JsonObject? Multifactor { get; private set; }

    public List<string> Factors { get; } = [];

    public bool Enroll { get; private set; }

    /// <summary>The options a challenge or enrollment gave a factor, by factor type (<c>{"phone": {"preferredMethod": "voice"}}</c>).</summary>
    public JsonObject FactorOptions { get; } = [];

    public JsonObject IdTokenClaims { get; set; } = [];

    public JsonObject AccessTokenClaims { get; set; } = [];

    public JsonObject AppMetadata { get; } = [];

    public JsonObject UserMetadata { get; } = [];

    public string? Redirect { get; set; }

    /// <summary>An MFA request by provider (<c>context.multifactor</c>, <c>api.multifactor.enable</c>); null withdraws it.</summary>
    public void RequestProvider(JsonObject? multifactor)
    {
        Multifactor = multifactor;
        Factors.Clear();
        FactorOptions.Clear();
        Enroll = false;
    }

    /// <summary>
    /// Where <paramref name="rule"/> asked to send the user (<c>context.redirect</c>, <c>api.redirect.sendUserTo</c>), null for
    /// nowhere. A new target is logged against the rule: the policy refuses such a login, and the log says which rule caused it.
    /// </summary>
    public void RequestRedirect(string rule, string? url, string api)
    {
        if (url is not null && url != Redirect)
        {
            Log(rule, "warn", $"{api} asks to send the user to another page, which this server does not do: the login will be refused");
        }

        Redirect = url;
    }

    /// <summary>A challenge or enrollment with specific factor types (<c>api.authentication.*</c>).</summary>
    public void RequestFactors(IEnumerable<string> factors, bool enroll, JsonObject? options = null)
    {
        Multifactor = null;
        Factors.Clear();
        Factors.AddRange(factors.Distinct(StringComparer.Ordinal));
        Enroll = enroll;
        FactorOptions.Clear();
        foreach (var (type, value) in options ?? [])
        {
            FactorOptions[type] = value?.DeepClone();
        }
    }

    /// <summary>
    /// Names the first output whose JSON is larger than <paramref name="maxBytes"/>, and empties every such output so
    /// that nothing that large reaches a token, the user's record or a log; null when every output fits.
    /// </summary>
    public string? DropOversized(int maxBytes)
    {
        var first = Drop(maxBytes, static (output, max) => System.Text.Encoding.UTF8.GetByteCount(output.ToJsonString()) > max);

        if (Multifactor is { } multifactor && !ReferenceEquals(multifactor, measuredMultifactor))
        {
            if (System.Text.Encoding.UTF8.GetByteCount(multifactor.ToJsonString()) > maxBytes)
            {
                // The request stands (fail closed), without what made it oversized.
                Multifactor = new JsonObject { ["provider"] = multifactor["provider"]?.DeepClone() ?? "any" };
                first ??= "multifactor request";
            }
            else
            {
                measuredMultifactor = multifactor;
            }
        }

        if (Redirect is { Length: var length } && length > maxBytes)
        {
            Redirect = null;
            first ??= "redirect URL";
        }

        return first;
    }

    /// <summary>
    /// Names the first of the claims and metadata patches nested deeper than <paramref name="maxLevels"/>, and empties
    /// every such output, so that nothing deeper is stored in the user's record or the decision log; null when all fit.
    /// (The multifactor request is one value, so its depth was checked when it was read.)
    /// </summary>
    public string? DropTooDeep(int maxLevels) => Drop(maxLevels, static (output, max) => JsonNesting.LevelsOf(output) > max);

    // Checked after every rule: written out rather than looped over a list of the outputs, so that a login whose
    // outputs are empty (most) allocates nothing here.
    private string? Drop(int limit, Func<JsonObject, int, bool> outOfBounds)
    {
        string? first = null;
        DropIf("ID token claims", IdTokenClaims);
        DropIf("access token claims", AccessTokenClaims);
        DropIf("app_metadata patch", AppMetadata);
        DropIf("user_metadata patch", UserMetadata);
        DropIf("factor options", FactorOptions);
        return first;

        void DropIf(string name, JsonObject output)
        {
            if (output.Count > 0 && outOfBounds(output, limit))
            {
                output.Clear();
                first ??= name;
            }
        }
    }

    /// <summary>Merges a metadata patch at the top level, as Auth0's PATCH does; a null value removes the key.</summary>
    public static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            target[name] = value?.DeepClone();
        }
    }

    /// <summary>Whether the log is full and has said so: later lines are dropped, so they need not even be formatted.</summary>
    public bool LogIsFull => logLimitReported;

    /// <summary>Keeps a log line unless the login's bound is reached; <paramref name="always"/> is for the engine's own verdicts.</summary>
    public void Log(string rule, string level, string message, bool always = false)
    {
        if (logs.Count >= maxLogEntries && !always)
        {
            if (!logLimitReported)
            {
                logLimitReported = true;
                logs.Add(new RuleLogEntry(rule, "warn", $"log limit of {maxLogEntries} entries reached; later lines were dropped"));
            }

            return;
        }

        logs.Add(new RuleLogEntry(rule, level, message.Length <= maxLogMessageLength ? message : message[..maxLogMessageLength] + "…"));
    }
}
