using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>The table of <see cref="ConsoleDraftRecord"/>: one draft per tenant and owner.</summary>
internal sealed class ConsoleDraftConfiguration : IEntityTypeConfiguration<ConsoleDraftRecord>
{
    public void Configure(EntityTypeBuilder<ConsoleDraftRecord> draft)
    {
        draft.ToTable("ConsoleDrafts");
        draft.HasIndex(record => new { record.TenantId, record.Owner }).IsUnique();
        draft.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
    }
}
