using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Oidc;

/// <summary>Gives OpenIddict the persisted keys (<see cref="ServerKeys"/>) when its options are first built.</summary>
public sealed class ServerKeysConfiguration(IServiceScopeFactory scopes) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        using var scope = scopes.CreateScope();
        var (signing, encryption) = ServerKeys.LoadOrCreateAsync(
            scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>(),
            scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>()).GetAwaiter().GetResult();
        options.SigningCredentials.Add(new SigningCredentials(signing, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}
