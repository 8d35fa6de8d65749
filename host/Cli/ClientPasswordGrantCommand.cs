using System.CommandLine;
using OpenIddict.Abstractions;
using RulesMfa.Host.Admin;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Oidc;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa client password-grant --tenant T --client ID (--allow | --deny) [--data-folder DIR]</c>: allows a client of the
/// tenant the resource owner password grant and the MFA API's grants (<see cref="PasswordGrantClients"/>), or takes them
/// back. Off for every client until allowed here. Audited (<c>client.password-grant</c>).
/// </summary>
internal static class ClientPasswordGrantCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant id.", Required = true };
        var client = new Option<string>("--client") { Description = "The client_id.", Required = true };
        var allow = new Option<bool>("--allow") { Description = "Allow the password grant and the MFA grants." };
        var deny = new Option<bool>("--deny") { Description = "Take them back." };
        var dataFolder = CliDatabase.DataFolderOption();
        var command = new Command("password-grant",
            "Allow a client the resource owner password grant (password, password-realm) and the MFA API's grants (mfa-otp, mfa-oob, mfa-recovery-code), or take them back.")
        {
            tenant, client, allow, deny, dataFolder,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(allow) == parsed.GetValue(deny))
            {
                error.WriteLine("rulesmfa: give exactly one of --allow and --deny");
                return CliExitCodes.UsageOrCompilation;
            }

            await using var database = await CliDatabase.OpenAsync(parsed.GetValue(dataFolder), output, error, cancellationToken);
            var tenantId = parsed.GetValue(tenant)!;
            if (database is null || !await database.TenantExistsAsync(tenantId, error, cancellationToken))
            {
                return CliExitCodes.UsageOrCompilation;
            }

            var clientId = parsed.GetValue(client)!;
            var applications = database.Services.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
            if (application is null || !await new TenantClients(applications).BelongsToAsync(clientId, tenantId, cancellationToken))
            {
                error.WriteLine($"rulesmfa: tenant '{tenantId}' has no client '{clientId}'");
                return CliExitCodes.UsageOrCompilation;
            }

            var allowed = parsed.GetValue(allow);
            // Recorded first: OpenIddict's store saves the client and this record in one SaveChanges of the same context.
            database.Services.GetRequiredService<AuditTrail>().Record(tenantId, Actor.Cli(), "client.password-grant", clientId, detail: allowed ? "allowed" : "denied");
            await PasswordGrantClients.SetAsync(applications, application, allowed, cancellationToken);
            output.WriteLine(allowed
                ? $"Client '{clientId}' of tenant '{tenantId}' may now use the password grant and the MFA API."
                : $"Client '{clientId}' of tenant '{tenantId}' may no longer use the password grant or the MFA API.");
            return CliExitCodes.Success;
        });
        return command;
    }
}
