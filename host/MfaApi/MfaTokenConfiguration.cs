using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.MfaApi;

/// <summary>The table of <see cref="MfaTokenRecord"/>.</summary>
internal sealed class MfaTokenConfiguration : IEntityTypeConfiguration<MfaTokenRecord>
{
    public void Configure(EntityTypeBuilder<MfaTokenRecord> token)
    {
        token.ToTable("MfaTokens");
        token.HasIndex(record => record.TokenHash).IsUnique();
        token.HasIndex(record => record.UserId);
        token.Property(record => record.Version).IsConcurrencyToken();
        token.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }
}
