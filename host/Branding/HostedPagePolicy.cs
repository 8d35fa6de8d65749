using System.Security.Cryptography;

namespace RulesMfa.Host.Branding;

/// <summary>
/// The hosted pages' Content-Security-Policy: script only from elements carrying this response's nonce (the pages' own
/// WebAuthn and push scripts), so nothing a page template or an injection adds can run; styles and https images from
/// anywhere (a tenant's template and logo); no plugins, no <c>base</c>, no framing.
/// </summary>
public static class HostedPagePolicy
{
    private const string NonceKey = "RulesMfa.CspNonce";
    private const string FramedKey = "RulesMfa.FramedBySelf";

    /// <summary>Lets this response be framed by pages of this server only (the console's branding preview); call before <see cref="Nonce"/>.</summary>
    public static void AllowFramingBySelf(HttpContext http) => http.Items[FramedKey] = true;

    /// <summary>This response's script nonce; the first call sets the policy that allows it.</summary>
    public static string Nonce(HttpContext http)
    {
        if (http.Items[NonceKey] is string nonce)
        {
            return nonce;
        }

        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        http.Response.Headers.ContentSecurityPolicy = PolicyFor(nonce, http.Items.ContainsKey(FramedKey) ? SecurityHeaders.FrameAncestorsSelf : SecurityHeaders.FrameAncestors);
        return nonce;
    }

    private static string PolicyFor(string nonce, string frameAncestors) =>
        $"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self' 'unsafe-inline' https:; img-src 'self' https: data:; font-src 'self' https:; " +
        $"object-src 'none'; base-uri 'none'; {frameAncestors}";
}
