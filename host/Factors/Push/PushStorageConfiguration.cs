using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The push factor's tables: tokens and tickets found by their unique hashes, everything by user.</summary>
internal sealed class PushStorageConfiguration :
    IEntityTypeConfiguration<PushDeviceRecord>, IEntityTypeConfiguration<PushTicketRecord>, IEntityTypeConfiguration<PushTransactionRecord>
{
    public void Configure(EntityTypeBuilder<PushDeviceRecord> device)
    {
        device.ToTable("PushDevices");
        device.HasIndex(record => record.EnrollmentId).IsUnique();
        device.HasIndex(record => record.TokenHash).IsUnique();
        device.HasIndex(record => record.UserId);
        device.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }

    public void Configure(EntityTypeBuilder<PushTicketRecord> ticket)
    {
        ticket.ToTable("PushTickets");
        ticket.HasIndex(record => record.TicketHash).IsUnique();
        ticket.HasIndex(record => record.UserId);
        ticket.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
    }

    public void Configure(EntityTypeBuilder<PushTransactionRecord> transaction)
    {
        transaction.ToTable("PushTransactions");
        transaction.HasIndex(record => record.PublicId).IsUnique();
        transaction.HasIndex(record => record.DeviceId);
        transaction.HasIndex(record => record.UserId);
        transaction.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
        transaction.HasOne<PushDeviceRecord>().WithMany().HasForeignKey(record => record.DeviceId);
    }
}
