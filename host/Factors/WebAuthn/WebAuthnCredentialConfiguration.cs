using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>The table of <see cref="WebAuthnCredentialRecord"/>: one credential id once, looked up by user.</summary>
internal sealed class WebAuthnCredentialConfiguration : IEntityTypeConfiguration<WebAuthnCredentialRecord>
{
    public void Configure(EntityTypeBuilder<WebAuthnCredentialRecord> credential)
    {
        credential.ToTable("WebAuthnCredentials");
        credential.HasIndex(record => record.CredentialId).IsUnique();
        credential.HasIndex(record => record.UserId);
        credential.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }
}
