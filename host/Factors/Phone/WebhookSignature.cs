using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// The signature of a webhook call, for the gateway to check: <c>X-RulesMfa-Timestamp</c> is the Unix time in seconds and
/// <c>X-RulesMfa-Signature</c> is <c>v1=</c> and the lower-case hexadecimal HMAC-SHA256, keyed with the tenant's webhook
/// secret (UTF-8), of the timestamp, a dot and the body as sent (<c>{timestamp}.{body}</c>). A gateway should refuse a
/// timestamp more than five minutes off and compare signatures in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-RulesMfa-Timestamp";

    public const string SignatureHeader = "X-RulesMfa-Signature";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
