using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>The Duo factor's tables: one secret per tenant; states found by their unique hashes.</summary>
internal sealed class DuoStorageConfiguration : IEntityTypeConfiguration<DuoSecretRecord>, IEntityTypeConfiguration<DuoStateRecord>
{
    public void Configure(EntityTypeBuilder<DuoSecretRecord> secret)
    {
        secret.ToTable("DuoSecrets");
        secret.HasKey(record => record.TenantId);
        secret.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
    }

    public void Configure(EntityTypeBuilder<DuoStateRecord> state)
    {
        state.ToTable("DuoStates");
        state.HasIndex(record => record.StateHash).IsUnique();
        state.HasIndex(record => record.UserId);
        state.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }
}
