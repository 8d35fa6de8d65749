namespace RulesMfa.Host.Cli;

/// <summary>A tenant on a server and the machine client that signs in to it. <see cref="ToString"/> leaves the secret out.</summary>
internal sealed record ServerTarget(Uri Server, string Tenant, string ClientId, string ClientSecret)
{
    public Uri TenantBase => new(Server, Uri.EscapeDataString(Tenant) + "/");

    public override string ToString() => $"tenant '{Tenant}' at {Server}";
}
