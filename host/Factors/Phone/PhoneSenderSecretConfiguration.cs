using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>The table of <see cref="PhoneSenderSecretRecord"/>: one row per tenant.</summary>
internal sealed class PhoneSenderSecretConfiguration : IEntityTypeConfiguration<PhoneSenderSecretRecord>
{
    public void Configure(EntityTypeBuilder<PhoneSenderSecretRecord> secret)
    {
        secret.ToTable("PhoneSenderSecrets");
        secret.HasKey(record => record.TenantId);
        secret.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
    }
}
