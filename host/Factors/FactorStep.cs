using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors;

/// <summary>
/// What a factor gets for one step of one MFA transaction: the request, the signed-in user, the transaction (with the
/// factor's own state in it) and a way to save that state.
/// </summary>
public sealed class FactorStep(
    HttpContext http, UserRecord user, MfaTransaction transaction, TenantSettings settings, string tenantName, Func<MfaTransaction, Task> save, ILogger logger)
{
    public HttpContext Http { get; } = http;

    public UserRecord User { get; } = user;

    public MfaTransaction Transaction { get; private set; } = transaction;

    /// <summary>The tenant's settings (a factor's own among them).</summary>
    public TenantSettings Settings { get; } = settings;

    /// <summary>The tenant's friendly name (for an authenticator app's label, a relying party's name).</summary>
    public string TenantName { get; } = tenantName;

    /// <summary>The audit log, for the factor's own events.</summary>
    public ILogger Logger { get; } = logger;

    public IServiceProvider Services => Http.RequestServices;

    public RulesMfaDbContext Database => Services.GetRequiredService<RulesMfaDbContext>();

    public string? ClientIp => Http.Connection.RemoteIpAddress?.ToString();

    /// <summary>A posted form field, or null.</summary>
    public string? Form(string name) => Http.Request.HasFormContentType && Http.Request.Form.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The options the rules gave the factor <paramref name="type"/> in this login, or null.</summary>
    public System.Text.Json.Nodes.JsonObject? RulesOptions(string type) =>
        Transaction.FactorOptions.TryGetValue(type, out var json) ? System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject : null;

    /// <summary>The factor's state in this transaction under <paramref name="key"/>.</summary>
    public string? State(string key) => Transaction.FactorState.GetValueOrDefault(key);

    /// <summary>Keeps <paramref name="value"/> in this transaction (the MFA cookie) under <paramref name="key"/>.</summary>
    public async Task SaveStateAsync(string key, string value)
    {
        Transaction = Transaction with { FactorState = new Dictionary<string, string>(Transaction.FactorState) { [key] = value } };
        await save(Transaction);
    }
}
