using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>The table of <see cref="WebAuthnCeremonyRecord"/>.</summary>
internal sealed class WebAuthnCeremonyConfiguration : IEntityTypeConfiguration<WebAuthnCeremonyRecord>
{
    public void Configure(EntityTypeBuilder<WebAuthnCeremonyRecord> ceremony)
    {
        ceremony.ToTable("WebAuthnCeremonies");
        ceremony.HasIndex(record => record.UserId);
        ceremony.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }
}
