using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Cli;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Load;

/// <summary>
/// A tenant of its own for one run, made as the CLI makes things: <c>tenant create</c>, then, through the CLI's storage
/// (the server's database), its MFA settings (always MFA, or none with <c>--no-mfa</c>), a web client for the sample app, the users and the rules.
/// The CLI has no verb for web clients or ordinary users, and the admin API none at all.
/// </summary>
internal static class LoadSetup
{
    /// <summary>Creates the tenant of <paramref name="targets"/>, and a web client for each; returns them with their client ids.</summary>
    public static async Task<List<LoadTarget>> CreateTenantAsync(LoadOptions options, IReadOnlyList<LoadTarget> targets, TextWriter output, CancellationToken cancellationToken)
    {
        var tenant = targets[0].Tenant;
        var cliOutput = new StringWriter();
        if (CliApp.Run(["tenant", "create", tenant, "--data-folder", options.DataFolder], cliOutput, cliOutput) != 0)
        {
            throw new LoadException($"rulesmfa tenant create {tenant} failed: {cliOutput}");
        }

        await using var database = await CliDatabase.OpenAsync(options.DataFolder, cliOutput, cliOutput, cancellationToken)
            ?? throw new LoadException($"cannot open the server's database: {cliOutput}");
        var record = await database.Database.Tenants.SingleAsync(record => record.Id == tenant, cancellationToken);
        record.SettingsJson = new TenantSettings { AlwaysRequireMfa = !options.NoMfa }.ToJson();

        // One hash for every user (PasswordHasher's format does not bind the user): setting up hundreds costs one hash.
        var hasher = new PasswordHasher<UserRecord>(options.PasswordHashing is { } hashing ? Options.Create(hashing) : null);
        var hash = hasher.HashPassword(null!, targets[0].UserPassword);
        var now = DateTimeOffset.UtcNow;
        database.Database.Users.AddRange(Enumerable.Range(0, options.Users).Select(index => new UserRecord
        {
            Id = "rulesmfa|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), TenantId = tenant, Email = UserEmail(tenant, index),
            EmailVerified = true, PasswordHash = hash, CreatedAt = now, UpdatedAt = now,
        }));
        await database.Database.SaveChangesAsync(cancellationToken);

        var clients = targets.Select((target, index) => target with { ClientId = $"{tenant}-web-{index}" }).ToList();
        foreach (var client in clients)
        {
            await database.Services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(DemoTenantSeeder.WebClient(
                tenant, client.ClientId, client.ClientSecret, new Uri(client.AppUrl + "/signin-oidc"), new Uri(client.AppUrl + "/signout-callback-oidc")), cancellationToken);
        }

        var rules = database.Services.GetRequiredService<RuleStore>();
        foreach (var (path, order) in options.Rules.Select((path, order) => (path, order)))
        {
            var saved = await rules.SaveAsync(tenant, Path.GetFileNameWithoutExtension(path), new RuleSave(await File.ReadAllTextAsync(path, cancellationToken), null, order, true, Force: true),
                Actor.Cli(), cancellationToken);
            if (saved is not RuleSaveOutcome.Saved)
            {
                throw new LoadException($"rule {path} was not saved: {saved}");
            }
        }

        output.WriteLine($"tenant {tenant}: {options.Users} users, {clients.Count} web client(s), {options.Rules.Count} rules");
        return clients;
    }

    public static string UserEmail(string tenant, int index) => $"user{index}@{tenant}.load.example";
}
