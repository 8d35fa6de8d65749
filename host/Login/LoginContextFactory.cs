using System.Text.Json.Nodes;
using OpenIddict.Abstractions;
using RulesMfa.Engine.Context;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>
/// Builds the Rules view of a login (DESIGN's <c>user</c> and <c>context</c>) from the database, the session, the
/// authorization request and its HTTP facts. Logins and the sandbox console both build their input here.
/// </summary>
public sealed class LoginContextFactory(EnrolledFactors enrolledFactors, GeoIpLookup geoIp)
{
    /// <summary>
    /// Request parameters that are secrets, tokens or single-use values: never shown to rules, and so never in the decision
    /// log (an <c>id_token_hint</c> is a whole ID token of the user, with the app's custom claims).
    /// </summary>
    private static readonly HashSet<string> HiddenParameters = new(StringComparer.Ordinal)
    {
        "client_secret", "code", "code_verifier", "refresh_token", "client_assertion", "password", "__RequestVerificationToken", "id_token_hint",
        "mfa_token", "otp", "oob_code", "binding_code", "recovery_code",
    };

    public async Task<LoginInput> CreateAsync(
        UserRecord user, LoginSession session, OpenIddictRequest request, string protocol, LoginRequestFacts facts, CancellationToken cancellationToken)
    {
        var factors = await enrolledFactors.EnrollmentsOfUserAsync(user.Id, cancellationToken);
        var unreadable = new List<string>();
        var userJson = new JsonObject
        {
            ["user_id"] = user.Id,
            ["email"] = user.Email,
            ["email_verified"] = user.EmailVerified,
            ["name"] = user.Name ?? user.Email,
            ["nickname"] = user.Email.Split('@')[0],
            ["created_at"] = Iso(user.CreatedAt),
            ["updated_at"] = Iso(user.UpdatedAt),
            ["last_login"] = user.LastLogin is { } lastLogin ? Iso(lastLogin) : null,
            ["logins_count"] = user.LoginsCount,
            ["identities"] = new JsonArray(new JsonObject
            {
                ["provider"] = "rulesmfa", ["user_id"] = user.Id, ["connection"] = "Username-Password-Authentication", ["isSocial"] = false,
            }),
            ["app_metadata"] = Metadata(user.AppMetadataJson, "app_metadata", unreadable),
            ["user_metadata"] = Metadata(user.UserMetadataJson, "user_metadata", unreadable),
            ["multifactor"] = new JsonArray(factors.Select(factor => factor.Provider).OfType<string>().Distinct().Select(provider => (JsonNode?)provider).ToArray()),
            ["enrolledFactors"] = new JsonArray(factors.DistinctBy(factor => factor.Type).Select(EnrolledFactor).ToArray()),
        };

        var query = new JsonObject();
        foreach (var (name, value) in request.GetParameters())
        {
            if (!HiddenParameters.Contains(name))
            {
                query[name] = value.ToString();
            }
        }

        var methods = new JsonArray(new JsonObject { ["name"] = "pwd", ["timestamp"] = session.PasswordAt.ToUnixTimeMilliseconds() });
        if (session.MfaAt is { } mfaAt)
        {
            methods.Add(new JsonObject { ["name"] = "mfa", ["timestamp"] = mfaAt.ToUnixTimeMilliseconds() });
        }

        var contextJson = new JsonObject
        {
            ["tenant"] = session.TenantId,
            ["clientID"] = request.ClientId,
            ["clientName"] = request.ClientId,
            ["clientMetadata"] = new JsonObject(),
            ["connection"] = "Username-Password-Authentication",
            ["connectionID"] = "con_password",
            ["connectionStrategy"] = "auth0",
            ["connectionMetadata"] = new JsonObject(),
            ["protocol"] = protocol,
            ["sessionID"] = session.SessionId,
            ["stats"] = new JsonObject { ["loginsCount"] = user.LoginsCount },
            ["request"] = new JsonObject
            {
                ["ip"] = facts.Ip?.ToString(),
                ["hostname"] = facts.Hostname,
                ["userAgent"] = facts.UserAgent,
                ["query"] = query,
                ["body"] = new JsonObject(),
                ["geoip"] = geoIp.Lookup(facts.Ip),
            },
            ["authentication"] = new JsonObject { ["methods"] = methods },
        };
        return LoginInput.Of(userJson, contextJson, unreadable) with { EnrolledFactors = factors.Select(factor => factor.Type).Distinct().ToList() };
    }

    /// <summary>One of <c>enrolledFactors</c>: <c>{type}</c>, with the enrollment's <c>options</c> when it has some (a masked phone number).</summary>
    private static JsonNode EnrolledFactor(Factors.FactorEnrollment enrollment)
    {
        var factor = new JsonObject { ["type"] = enrollment.Type };
        if (enrollment.Options is { } options)
        {
            factor["options"] = options.DeepClone();
        }

        return factor;
    }

    /// <summary>A stored metadata document, or an empty object (named in <paramref name="unreadable"/>) when it cannot be read.</summary>
    private static JsonNode? Metadata(string json, string name, List<string> unreadable)
    {
        if (JsonNesting.TryParse(json, out var metadata))
        {
            return metadata;
        }

        unreadable.Add(name);
        return new JsonObject();
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
