using System.Text;
using System.Text.Json.Nodes;
using OtpNet;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// A tenant for the MFA API's tests: one Action whose behaviour each user's <c>app_metadata</c> picks (deny, enroll, or MFA
/// with any factor), which also writes the login's <c>event.transaction.protocol</c> into the ID token; and a client
/// allowed the password grant.
/// </summary>
internal static class MfaApiScenario
{
    public const string Password = "a long enough password";
    public const string ProtocolClaim = "https://example.com/protocol";

    public const string Rules = """
        exports.onExecutePostLogin = async (event, api) => {
          const m = event.user.app_metadata;
          api.idToken.setCustomClaim('https://example.com/protocol', event.transaction.protocol);
          if (m.deny) { api.access.deny(m.deny); return; }
          if (m.enroll) { api.authentication.enrollWith({ type: m.enroll }); return; }
          if (!m.noMfa) { api.multifactor.enable('any'); }
        };
        """;

    public static async Task<MfaApiHttp> StartTenantAsync(RulesMfaServer server, string tenant, string clientId)
    {
        await server.AddTenantAsync(tenant, displayName: "Api Tenant");
        await server.SetRulesAsync(tenant, ("010-mfa", Rules));
        var (id, secret) = await MfaApiHttp.AddPasswordClientAsync(server, tenant, clientId);
        return new MfaApiHttp(server.Issuer(tenant), id, secret);
    }

    /// <summary>A code of the authenticator app whose <c>otpauth://</c> URI is <paramref name="barcodeUri"/>, <paramref name="stepsAhead"/> steps from now.</summary>
    public static string CodeFor(string barcodeUri, int stepsAhead = 0)
    {
        var secret = System.Web.HttpUtility.ParseQueryString(new Uri(barcodeUri).Query)["secret"]!;
        return new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));
    }

    public static JsonObject JwtPayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)))!.AsObject();
    }

    /// <summary>The names of an object's fields, sorted: a wire shape to compare with the notes.</summary>
    public static string[] Fields(JsonNode? node) => node!.AsObject().Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Signs <paramref name="email"/> in with the password and enrolls an authenticator app; returns its URI and the recovery code.</summary>
    public static async Task<(string BarcodeUri, string RecoveryCode)> EnrollOtpAsync(MfaApiHttp api, string email)
    {
        var (_, required) = await api.PasswordAsync(email, Password);
        var token = required!["mfa_token"]!.GetValue<string>();
        var (_, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "otp" } });
        var uri = associated!["barcode_uri"]!.GetValue<string>();
        var (status, tokens) = await api.GrantAsync(Host.MfaApi.MfaGrantTypes.Otp, token, ("otp", CodeFor(uri)));
        Assert.That((int)status, Is.EqualTo(200), () => $"the enrollment was not confirmed: {tokens}");
        return (uri, associated["recovery_codes"]![0]!.GetValue<string>());
    }

    /// <summary>A new login's <c>mfa_token</c>.</summary>
    public static async Task<string> MfaTokenAsync(MfaApiHttp api, string email, string scope = "openid", string? audience = null)
    {
        var (status, body) = await api.PasswordAsync(email, Password, scope, audience);
        Assert.That((int)status, Is.EqualTo(403), () => $"expected mfa_required: {body}");
        return body!["mfa_token"]!.GetValue<string>();
    }
}
