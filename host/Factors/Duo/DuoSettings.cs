using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// A tenant's Duo application (<c>duo</c> in the settings), as Duo's Admin Panel shows it for a Web SDK application. Used
/// when the rules ask for Duo without their own keys (a rule's <c>ikey</c>, <c>skey</c>, <c>host</c> override these).
/// </summary>
public sealed partial class DuoSettings
{
    /// <summary>The integration key (Duo's client id): 20 letters and digits.</summary>
    public string? IntegrationKey { get; set; }

    /// <summary>
    /// The secret key (Duo's client secret, 40 characters): write-only. Given in a settings change, it is stored encrypted
    /// (<see cref="DuoSecrets"/>) and never read back; a change without it keeps the stored one.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SecretKey { get; set; }

    /// <summary>The API hostname (<c>api-XXXXXXXX.duosecurity.com</c>), optionally with a port.</summary>
    public string? ApiHostname { get; set; }

    /// <summary>
    /// What is wrong with the Duo part of a tenant's settings, or null: Duo is offered only as the only enabled factor,
    /// with "remember this browser" at 30 days (as at Auth0), and then needs its integration key and API hostname.
    /// </summary>
    public FieldError? Problem(IReadOnlyCollection<string> enabledFactors, int rememberBrowserDays)
    {
        if (IntegrationKey is not null && !IsIntegrationKey(IntegrationKey))
        {
            return new FieldError("duo.integrationKey", "must be Duo's integration key (client id): 20 letters and digits");
        }

        if (ApiHostname is not null && !IsApiHostname(ApiHostname))
        {
            return new FieldError("duo.apiHostname", "must be a host name such as api-XXXXXXXX.duosecurity.com, optionally with :port, without scheme or path");
        }

        if (!enabledFactors.Contains(FactorType.Duo))
        {
            return null;
        }

        if (enabledFactors.Count != 1)
        {
            return new FieldError("enabledFactors", "duo is offered only as the only enabled factor (as at Auth0): enable duo alone, or other factors without it");
        }

        if (rememberBrowserDays != RememberBrowserDays)
        {
            return new FieldError("rememberBrowserDays", $"is fixed at {RememberBrowserDays} days while duo is enabled");
        }

        return IntegrationKey is null ? new FieldError("duo.integrationKey", "is required while duo is enabled")
            : ApiHostname is null ? new FieldError("duo.apiHostname", "is required while duo is enabled")
            : null;
    }

    /// <summary>How long "remember this browser" lasts while Duo is the tenant's factor: 30 days, not configurable (as at Auth0).</summary>
    public const int RememberBrowserDays = 30;

    public static bool IsIntegrationKey(string value) => IntegrationKeyPattern().IsMatch(value);

    /// <summary>A host name or address with an optional port, nothing else: what <c>https://{host}/oauth/v1/...</c> is built from.</summary>
    public static bool IsApiHostname(string value) =>
        value.Length is > 0 and <= 255
        && Uri.TryCreate($"https://{value}/", UriKind.Absolute, out var uri)
        && uri.Authority.Equals(value, StringComparison.OrdinalIgnoreCase)
        && uri.AbsolutePath == "/" && uri.UserInfo.Length == 0;

    [GeneratedRegex("^[A-Za-z0-9]{20}$")]
    private static partial Regex IntegrationKeyPattern();
}
