using System.Text.Json.Nodes;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// The Duo application one trip to Duo uses, and the Duo username it asks about: the rules' own keys where they gave
/// them (Rules: <c>context.multifactor = {provider: 'duo', ikey, skey, host, username}</c>; Actions:
/// <c>api.multifactor.enable('duo', {providerOptions: {host, ikey, skey, username}})</c>), else the tenant's settings;
/// the username defaults to the user's email address.
/// </summary>
public sealed record DuoConnection(string ClientId, string ClientSecret, string ApiHost, string Username)
{
    public string HealthCheckUrl => Endpoint("health_check");

    public string AuthorizeUrl => Endpoint("authorize");

    public string TokenUrl => Endpoint("token");

    /// <summary>The connection, or what is missing or malformed (naming the setting) when there is none.</summary>
    public static (DuoConnection? Connection, string? Problem) Resolve(DuoSettings tenant, string? tenantSecret, string? rulesRequestJson, UserRecord user)
    {
        var rules = RulesOptions(rulesRequestJson);
        var clientId = rules("ikey") ?? tenant.IntegrationKey;
        var secret = rules("skey") ?? tenantSecret;
        var host = rules("host") ?? tenant.ApiHostname;
        var username = rules("username") ?? user.Email;
        var problem = clientId is null || !DuoSettings.IsIntegrationKey(clientId) ? "no valid integration key (duo.integrationKey, or the rule's ikey)"
            : secret is null || secret.Length != DuoSecrets.SecretLength ? "no valid secret key (duo.secretKey, or the rule's skey)"
            : host is null || !DuoSettings.IsApiHostname(host) ? "no valid API hostname (duo.apiHostname, or the rule's host)"
            : string.IsNullOrWhiteSpace(username) ? "no Duo username (the user's email, or the rule's username)"
            : null;
        return problem is null ? (new DuoConnection(clientId!, secret!, host!, username), null) : (null, problem);
    }

    private string Endpoint(string name) => $"https://{ApiHost}/oauth/v1/{name}";

    /// <summary>Reads one of the rules' Duo options: from Actions' <c>providerOptions</c> first, else the Rules' request itself.</summary>
    private static Func<string, string?> RulesOptions(string? rulesRequestJson)
    {
        var request = rulesRequestJson is null ? null : JsonNode.Parse(rulesRequestJson) as JsonObject;
        if (request?["provider"] is not JsonValue provider || !provider.TryGetValue<string>(out var name) || name != Engine.Policy.MfaProvider.Duo)
        {
            return _ => null;
        }

        var options = request["providerOptions"] as JsonObject ?? request;
        return option => options[option] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
    }
}
