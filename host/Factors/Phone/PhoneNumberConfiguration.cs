using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>The table of <see cref="PhoneNumberRecord"/>, looked up by user.</summary>
internal sealed class PhoneNumberConfiguration : IEntityTypeConfiguration<PhoneNumberRecord>
{
    public void Configure(EntityTypeBuilder<PhoneNumberRecord> number)
    {
        number.ToTable("PhoneNumbers");
        number.HasIndex(record => record.UserId);
        number.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }
}
