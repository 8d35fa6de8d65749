using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Cli;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Load;

/// <summary>
/// A tenant of its own for one run, made as the CLI makes things: <c>tenant create</c>, then, through the CLI's storage
/// (the server's database), its MFA settings (always MFA), a web client for the sample app, the users and the rules.
/// The CLI has no verb for web clients or ordinary users, and the admin API none at all.
/// </summary>
internal static class LoadSetup
{
    public static async Task<string> CreateTenantAsync(LoadOptions options, string tenant, string appUrl, string clientSecret, string password,
        TextWriter output, CancellationToken cancellationToken)
    {
        var cliOutput = new StringWriter();
        if (CliApp.Run(["tenant", "create", tenant, "--data-folder", options.DataFolder], cliOutput, cliOutput) != 0)
        {
            throw new LoadException($"rulesmfa tenant create {tenant} failed: {cliOutput}");
        }

        await using var database = await CliDatabase.OpenAsync(options.DataFolder, cliOutput, cliOutput, cancellationToken)
            ?? throw new LoadException($"cannot open the server's database: {cliOutput}");
        var record = await database.Database.Tenants.SingleAsync(record => record.Id == tenant, cancellationToken);
        record.SettingsJson = new TenantSettings { AlwaysRequireMfa = true }.ToJson();

        // One hash for every user (PasswordHasher's format does not bind the user): setting up hundreds costs one hash.
        var hash = new PasswordHasher<UserRecord>().HashPassword(null!, password);
        var now = DateTimeOffset.UtcNow;
        database.Database.Users.AddRange(Enumerable.Range(0, options.Users).Select(index => new UserRecord
        {
            Id = "rulesmfa|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), TenantId = tenant, Email = UserEmail(tenant, index),
            EmailVerified = true, PasswordHash = hash, CreatedAt = now, UpdatedAt = now,
        }));
        await database.Database.SaveChangesAsync(cancellationToken);

        var clientId = tenant + "-web";
        await database.Services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(
            DemoTenantSeeder.WebClient(tenant, clientId, clientSecret, new Uri(appUrl + "/signin-oidc"), new Uri(appUrl + "/signout-callback-oidc")), cancellationToken);

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

        output.WriteLine($"tenant {tenant}: {options.Users} users, client {clientId}, {options.Rules.Count} rules");
        return clientId;
    }

    public static string UserEmail(string tenant, int index) => $"user{index}@{tenant}.load.example";
}
