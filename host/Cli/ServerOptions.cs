using System.CommandLine;

namespace RulesMfa.Host.Cli;

/// <summary>
/// Where a tenant's admin API is and how to sign in to it: <c>--server URL --tenant T</c>, with a machine client's
/// <c>--client-id</c> / <c>--client-secret</c> or <c>RULESMFA_CLIENT_ID</c> / <c>RULESMFA_CLIENT_SECRET</c>
/// (prefer the environment: a command line is visible to other users of the machine).
/// </summary>
internal sealed class ServerOptions
{
    public const string ClientIdVariable = "RULESMFA_CLIENT_ID";
    public const string ClientSecretVariable = "RULESMFA_CLIENT_SECRET";

    public Option<string?> Server { get; } = new("--server") { Description = "The RulesMfa server's URL, such as https://mfa.example.com." };

    public Option<string?> Tenant { get; } = new("--tenant") { Description = "The tenant id on that server." };

    public Option<string?> ClientId { get; } = new("--client-id") { Description = $"A machine client of the tenant (default: {ClientIdVariable})." };

    public Option<string?> ClientSecret { get; } = new("--client-secret") { Description = $"Its secret (default: {ClientSecretVariable})." };

    public IEnumerable<Option> All => [Server, Tenant, ClientId, ClientSecret];

    public bool IsGiven(ParseResult parsed) => parsed.GetValue(Server) is not null || parsed.GetValue(Tenant) is not null;

    /// <summary>The server and credentials.</summary>
    /// <exception cref="CliInputException">Something is missing or the URL is not http(s).</exception>
    public ServerTarget Read(ParseResult parsed)
    {
        var server = parsed.GetValue(Server) ?? throw new CliInputException("--server URL is required with --tenant");
        var tenant = parsed.GetValue(Tenant) ?? throw new CliInputException("--tenant T is required with --server");
        if (!Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new CliInputException($"--server '{server}' is not an http or https URL");
        }

        var clientId = parsed.GetValue(ClientId) ?? Environment.GetEnvironmentVariable(ClientIdVariable);
        var secret = parsed.GetValue(ClientSecret) ?? Environment.GetEnvironmentVariable(ClientSecretVariable);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
        {
            throw new CliInputException(
                $"sign in with a machine client of the tenant: --client-id and --client-secret, or {ClientIdVariable} and {ClientSecretVariable} " +
                $"(create one with: rulesmfa client create --tenant {tenant} --name NAME)");
        }

        return new ServerTarget(url, tenant, clientId, secret);
    }
}
