using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Cli;

/// <summary>What the CLI verbs leave on a running server: its audit records and rules, and a machine client made with <c>client create</c>.</summary>
internal static partial class CliServerData
{
    public static Task<List<AuditRecord>> AuditAsync(RulesMfaServer server, string tenant) => server.WithServicesAsync(services =>
        services.GetRequiredService<RulesMfaDbContext>().Audit.AsNoTracking().Where(record => record.TenantId == tenant).OrderBy(record => record.Id).ToListAsync());

    public static Task<List<RuleRecord>> RulesAsync(RulesMfaServer server, string tenant) => server.WithServicesAsync(services =>
        services.GetRequiredService<RulesMfaDbContext>().Rules.AsNoTracking().Where(record => record.TenantId == tenant)
            .OrderBy(record => record.Order).ThenBy(record => record.RuleId).ToListAsync());

    /// <summary>Runs <c>rulesmfa client create</c> and reads the client id and secret it prints once.</summary>
    public static (string ClientId, string Secret) CreateMachineClient(RulesMfaServer server, string tenant, string name)
    {
        var run = CliRun.Of("client", "create", "--tenant", tenant, "--name", name, "--data-folder", server.DataFolder);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        return (SecretLine().Match(run.Output) is { Success: true } secret ? (name, secret.Groups[1].Value) : throw new AssertionException($"no secret in:\n{run.Output}"));
    }

    [GeneratedRegex(@"^client_secret: +(\S+)$", RegexOptions.Multiline)]
    private static partial Regex SecretLine();
}
