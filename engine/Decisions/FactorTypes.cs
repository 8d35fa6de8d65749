namespace RulesMfa.Engine.Decisions;

/// <summary>The factor types Actions name in <c>api.authentication.challengeWith</c> and friends.</summary>
public static class FactorTypes
{
    /// <summary>Every type, in Auth0's spelling.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["otp", "email", "phone", "push-notification", "webauthn-platform", "webauthn-roaming", "recovery-code"];

    /// <summary>True for a known factor type.</summary>
    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
