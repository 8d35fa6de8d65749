using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa admin create --tenant T --email E [--password-file F | --prompt]</c>: creates an admin user, or makes
/// an existing user an admin (and sets their password when one is given: the way back in after a lost password).
/// The password is never printed or logged, except a generated one, shown once. Audited.
/// </summary>
internal static class AdminCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant id.", Required = true };
        var email = new Option<string>("--email") { Description = "The admin's email, their sign-in name.", Required = true };
        var passwordFile = new Option<string?>("--password-file") { Description = "A file whose first line is the password." };
        var prompt = new Option<bool>("--prompt") { Description = "Ask for the password on the terminal (not echoed)." };
        var dataFolder = CliDatabase.DataFolderOption();

        var create = new Command("create",
            "Create an admin of the tenant, or make an existing user an admin. The password comes from --password-file or --prompt; " +
            "with neither, a new user gets a generated password, printed once (an existing user keeps theirs). " +
            "Admins sign in with MFA: they enroll a factor at their first sign-in.")
        {
            tenant, email, passwordFile, prompt, dataFolder,
        };
        create.SetAction(async (parsed, cancellationToken) =>
        {
            string? password;
            try
            {
                password = AdminPassword.Read(parsed.GetValue(passwordFile), parsed.GetValue(prompt), error);
            }
            catch (CliInputException invalid)
            {
                error.WriteLine($"rulesmfa: {invalid.Message}");
                return CliExitCodes.UsageOrCompilation;
            }

            await using var database = await CliDatabase.OpenAsync(parsed.GetValue(dataFolder), output, error, cancellationToken);
            var tenantId = parsed.GetValue(tenant)!;
            if (database is null || !await database.TenantExistsAsync(tenantId, error, cancellationToken))
            {
                return CliExitCodes.UsageOrCompilation;
            }

            var address = parsed.GetValue(email)!.Trim().ToLowerInvariant();
            if (address.Length is 0 or > 254 || !address.Contains('@'))
            {
                error.WriteLine($"rulesmfa: --email '{address}' is not an email address");
                return CliExitCodes.UsageOrCompilation;
            }

            var now = database.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var audit = database.Services.GetRequiredService<AuditTrail>();
            var user = await database.Database.Users.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Email == address, cancellationToken);
            var generated = user is null && password is null;
            var changed = true;
            if (user is null)
            {
                password ??= Base64Url(RandomNumberGenerator.GetBytes(18));
                user = database.Database.Users.Add(new UserRecord
                {
                    Id = "rulesmfa|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
                    TenantId = tenantId, Email = address, EmailVerified = true, PasswordHash = "", CreatedAt = now, UpdatedAt = now, IsAdmin = true,
                }).Entity;
                user.PasswordHash = new PasswordHasher<UserRecord>().HashPassword(user, password);
                audit.Record(tenantId, Actor.Cli(), "admin.created", user.Id, detail: $"new admin {address}");
            }
            else
            {
                if (!user.IsAdmin)
                {
                    user.IsAdmin = true;
                    audit.Record(tenantId, Actor.Cli(), "admin.granted", user.Id, detail: $"{address} is now an admin");
                }

                if (password is not null)
                {
                    user.PasswordHash = new PasswordHasher<UserRecord>().HashPassword(user, password);
                    audit.Record(tenantId, Actor.Cli(), "admin.password-set", user.Id, detail: $"new password for {address}");
                }

                changed = database.Database.ChangeTracker.HasChanges();
                user.UpdatedAt = changed ? now : user.UpdatedAt;
            }

            await database.Database.SaveChangesAsync(cancellationToken);
            output.WriteLine(!changed
                ? $"{address} is already an admin of tenant '{tenantId}'; nothing changed."
                : $"{address} is an admin of tenant '{tenantId}' (user {user.Id}).");
            if (generated)
            {
                output.WriteLine($"Generated password (shown only now; store it safely): {password}");
            }

            return CliExitCodes.Success;
        });

        return new Command("admin", "Manage a tenant's admins on the server's database.") { create };
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
