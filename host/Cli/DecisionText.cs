using RulesMfa.Engine.Decisions;

namespace RulesMfa.Host.Cli;

/// <summary>A decision written for a person at a terminal.</summary>
internal static class DecisionText
{
    public static void Write(MfaDecision decision, TextWriter output)
    {
        output.WriteLine($"outcome: {decision.Outcome.ToString().ToLowerInvariant()}");
        if (decision.Error is { } error)
        {
            output.WriteLine($"error: {error.Code}: {error.Description}");
        }

        if (decision.Multifactor is { } multifactor)
        {
            output.WriteLine($"multifactor: {multifactor.ToJsonString()}");
        }

        if (decision.Factors.Count > 0)
        {
            output.WriteLine($"{(decision.Enroll ? "enroll" : "challenge")} with: {string.Join(", ", decision.Factors)}");
        }

        WriteObject(output, "id token claims", decision.IdTokenClaims);
        WriteObject(output, "access token claims", decision.AccessTokenClaims);
        WriteObject(output, "app_metadata patch", decision.AppMetadata);
        WriteObject(output, "user_metadata patch", decision.UserMetadata);
        if (decision.Redirect is { } redirect)
        {
            output.WriteLine($"redirect: {redirect} (this server does not send the user there: a login is refused)");
        }

        output.WriteLine("rules:");
        foreach (var rule in decision.Rules)
        {
            var limit = rule.Limit is { } kind ? $" ({kind})" : "";
            output.WriteLine($"  {rule.Status.ToString().ToLowerInvariant(),-8} {rule.Id} [{rule.Kind.ToString().ToLowerInvariant()}] {rule.DurationMs:0.000} ms{limit}");
        }

        if (decision.Logs.Count > 0)
        {
            output.WriteLine("logs:");
            foreach (var log in decision.Logs)
            {
                output.WriteLine($"  [{log.Level}] {log.Rule}: {log.Message}");
            }
        }
    }

    private static void WriteObject(TextWriter output, string label, System.Text.Json.Nodes.JsonObject value)
    {
        if (value.Count > 0)
        {
            output.WriteLine($"{label}: {value.ToJsonString()}");
        }
    }
}
