namespace RulesMfa.Load;

/// <summary>The server's tenant under load, its web client (the sample app at <see cref="AppUrl"/>) and the users' password.</summary>
internal sealed record LoadTarget(string Server, string Tenant, string AppUrl, string ClientId, string ClientSecret, string UserPassword, HttpClient Http)
{
    public string TokenEndpoint => $"{Server}/{Tenant}/connect/token";
}
