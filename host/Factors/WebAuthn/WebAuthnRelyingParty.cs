using Fido2NetLib;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// Who the browser's authenticator signs for: the relying party id is the host of <c>Server:PublicOrigin</c> when set
/// (a spoofed <c>Host</c> header cannot change it), else of the request; only that origin's answers are accepted.
/// Changing the public origin's host makes every enrolled credential unusable (WebAuthn binds them to it).
/// </summary>
public static class WebAuthnRelyingParty
{
    public static Fido2 For(HttpContext http, string tenantName)
    {
        var configured = http.RequestServices.GetRequiredService<IConfiguration>()["Server:PublicOrigin"];
        var origin = string.IsNullOrWhiteSpace(configured)
            ? new Uri($"{http.Request.Scheme}://{http.Request.Host}")
            : new Uri(configured, UriKind.Absolute);
        return new Fido2(new Fido2Configuration
        {
            RPID = origin.Host,
            RPName = tenantName,
            Origins = new HashSet<string> { origin.GetLeftPart(UriPartial.Authority) },
            TimestampDriftTolerance = 300_000,
        });
    }
}
