namespace RulesMfa.Host.Login;

/// <summary>The cookies of a login. Their path is the tenant's path base, so each tenant has its own.</summary>
public static class SessionSchemes
{
    /// <summary>The signed-in session: the user, when the password and MFA were last done, and how (<c>amr</c>).</summary>
    public const string Session = "RulesMfa.Session";

    /// <summary>A login between the rules' decision and the end of MFA: what to challenge or enroll, and the decision's claims.</summary>
    public const string Mfa = "RulesMfa.Mfa";
}
