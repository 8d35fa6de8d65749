using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// The enrollment URI of Auth0 Guardian, shown as a QR code and a link:
/// <c>otpauth://totp/{issuer}:{account}?secret=…&amp;enrollment_tx_id=…&amp;issuer=…&amp;id=…&amp;base_url=…&amp;algorithm=sha1&amp;digits=6&amp;period=30</c>.
/// The server writes it; the companion device (<c>rulesmfa device enroll</c>) reads it.
/// </summary>
/// <param name="Issuer">The tenant's name, as authenticator apps list it.</param>
/// <param name="Account">The user's email.</param>
/// <param name="Secret">The TOTP secret, base32.</param>
/// <param name="Ticket">The single-use enrollment ticket (<c>enrollment_tx_id</c>).</param>
/// <param name="EnrollmentId">The id the device will have (<c>id</c>).</param>
/// <param name="BaseUrl">Where the device API is (<c>base_url</c>), without a trailing slash.</param>
public sealed record GuardianEnrollmentUri(string Issuer, string Account, string Secret, string Ticket, string EnrollmentId, string BaseUrl)
{
    public const int Digits = 6;
    public const int Period = 30;
    public const string Algorithm = "sha1";

    public override string ToString()
    {
        var label = Uri.EscapeDataString($"{Issuer}:{Account}");
        var query = string.Join('&',
            Pair("secret", Secret), Pair("enrollment_tx_id", Ticket), Pair("issuer", Issuer), Pair("id", EnrollmentId), Pair("base_url", BaseUrl),
            Pair("algorithm", Algorithm), Pair("digits", Digits.ToString(CultureInfo.InvariantCulture)), Pair("period", Period.ToString(CultureInfo.InvariantCulture)));
        return $"otpauth://totp/{label}?{query}";
    }

    /// <summary>Reads a URI; the message of <see cref="FormatException"/> names what is missing or wrong.</summary>
    public static GuardianEnrollmentUri Parse(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != "otpauth" || uri.Host != "totp")
        {
            throw new FormatException("it is not an otpauth://totp/ enrollment URI");
        }

        var query = QueryHelpers.ParseQuery(uri.Query);
        string Required(string name) => query.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value.ToString()
            : throw new FormatException($"it has no {name}: scan the push enrollment code, not an authenticator app's");

        var (secret, ticket, enrollmentId, baseUrl) = (Required("secret"), Required("enrollment_tx_id"), Required("id"), Required("base_url").TrimEnd('/'));
        var label = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new FormatException($"its base_url '{baseUrl}' is not an http or https URL");
        }

        if ((query.TryGetValue("digits", out var digits) && digits != "6") || (query.TryGetValue("period", out var period) && period != "30")
            || (query.TryGetValue("algorithm", out var algorithm) && !string.Equals(algorithm, Algorithm, StringComparison.OrdinalIgnoreCase)))
        {
            throw new FormatException("it asks for codes other than 6 digits every 30 seconds with SHA-1");
        }

        return new GuardianEnrollmentUri(
            query.TryGetValue("issuer", out var issuer) ? issuer.ToString() : colon > 0 ? label[..colon] : label,
            colon >= 0 ? label[(colon + 1)..] : "",
            secret, ticket, enrollmentId, baseUrl);
    }

    private static string Pair(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";
}
