using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>The table of <see cref="PhoneCodeRecord"/>: one sequence number per user once, the channel as its name.</summary>
internal sealed class PhoneCodeConfiguration : IEntityTypeConfiguration<PhoneCodeRecord>
{
    public void Configure(EntityTypeBuilder<PhoneCodeRecord> code)
    {
        code.ToTable("PhoneCodes");
        code.HasIndex(record => new { record.UserId, record.Sequence }).IsUnique();
        code.Property(record => record.Channel).HasConversion<string>().HasMaxLength(8);
        code.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }
}
