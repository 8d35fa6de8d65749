namespace RulesMfa.Host.Factors.Duo;

/// <summary>The operator's settings of the Duo factor, bound from the <c>Duo</c> section and validated at start.</summary>
public sealed class DuoOptions
{
    /// <summary>The configuration section: <c>Duo</c>.</summary>
    public const string SectionName = "Duo";

    /// <summary>
    /// Whether Duo's API host may be on a loopback, private, link-local or otherwise internal address. Default false: tenant
    /// admins and their rules choose the host (<c>duo.apiHostname</c>, a rule's <c>host</c>) and Duo's API is on the
    /// internet, so the server refuses to post into its own network for them (the address is checked when connecting, after
    /// DNS, as for phone webhooks; the login is then denied as when Duo is down). Set it only for a Duo stand-in on a
    /// private network with every tenant admin trusted, or when the server reaches the internet through a proxy on a
    /// private address (the address connected to, and checked, is then the proxy's).
    /// </summary>
    public bool AllowPrivateNetwork { get; set; }
}
