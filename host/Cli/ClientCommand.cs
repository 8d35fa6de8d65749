using System.CommandLine;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OpenIddict.Abstractions;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa client create --tenant T --name N [--data-folder DIR]</c>: a confidential machine client of the tenant
/// (for <c>deploy</c> and CI) allowed the client credentials grant with scope <c>rulesmfa.admin</c>. Its secret is
/// generated and printed once; OpenIddict stores only a hash of it. Audited (<c>client.created</c>).
/// </summary>
internal static partial class ClientCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant id.", Required = true };
        var name = new Option<string>("--name") { Description = "The client_id: letters, digits, '.', '_' and '-'; unique on the server.", Required = true };
        var dataFolder = CliDatabase.DataFolderOption();

        var create = new Command("create",
            $"Create a machine client of the tenant for the admin API (client credentials, scope {AdminAccess.Scope}). " +
            "Prints its client_id and a generated secret, shown only once.")
        {
            tenant, name, dataFolder,
        };
        create.SetAction(async (parsed, cancellationToken) =>
        {
            var clientId = parsed.GetValue(name)!;
            if (!ClientIdPattern().IsMatch(clientId))
            {
                error.WriteLine($"rulesmfa: --name '{clientId}' is not valid: use 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit");
                return CliExitCodes.UsageOrCompilation;
            }

            await using var database = await CliDatabase.OpenAsync(parsed.GetValue(dataFolder), output, error, cancellationToken);
            var tenantId = parsed.GetValue(tenant)!;
            if (database is null || !await database.TenantExistsAsync(tenantId, error, cancellationToken))
            {
                return CliExitCodes.UsageOrCompilation;
            }

            var applications = database.Services.GetRequiredService<IOpenIddictApplicationManager>();
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not null)
            {
                error.WriteLine($"rulesmfa: a client '{clientId}' already exists on this server; choose another --name");
                return CliExitCodes.UsageOrCompilation;
            }

            var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            // Recorded first: OpenIddict's store saves the client and this record in one SaveChanges of the same context.
            database.Services.GetRequiredService<AuditTrail>().Record(tenantId, Actor.Cli(), "client.created", clientId,
                detail: $"machine client (client credentials, scope {AdminAccess.Scope})");
            await applications.CreateAsync(MachineClients.Descriptor(tenantId, clientId, secret), cancellationToken);

            output.WriteLine($"Created machine client '{clientId}' of tenant '{tenantId}'.");
            output.WriteLine($"client_id:     {clientId}");
            output.WriteLine($"client_secret: {secret}");
            output.WriteLine("The secret is shown only now; store it safely (for deploy: RULESMFA_CLIENT_ID and RULESMFA_CLIENT_SECRET).");
            return CliExitCodes.Success;
        });

        return new Command("client", "Manage a tenant's clients on the server's database.") { create, ClientPasswordGrantCommand.Create(output, error) };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ClientIdPattern();
}
