using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace RulesMfa.Host.Storage;

/// <summary>
/// Everything RulesMfa keeps: tenants, users, rules and their versions, the audit and decision logs, factors, signing and
/// Data Protection keys, and OpenIddict's stores. This type is the SQLite context (its migrations are in Migrations/);
/// <see cref="PostgreSql.PostgreSqlDbContext"/> is the same model on PostgreSQL (<see cref="DatabaseTarget"/>).
/// </summary>
public class RulesMfaDbContext : DbContext, IDataProtectionKeyContext
{
    public RulesMfaDbContext(DbContextOptions<RulesMfaDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type.</summary>
    protected RulesMfaDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<TenantRecord> Tenants => Set<TenantRecord>();

    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<RuleRecord> Rules => Set<RuleRecord>();

    public DbSet<TotpEnrollmentRecord> TotpEnrollments => Set<TotpEnrollmentRecord>();

    public DbSet<RecoveryCodeRecord> RecoveryCodes => Set<RecoveryCodeRecord>();

    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    public DbSet<ThrottleRecord> Throttles => Set<ThrottleRecord>();

    public DbSet<RememberedBrowserRecord> RememberedBrowsers => Set<RememberedBrowserRecord>();

    public DbSet<EmailFactorRecord> EmailFactors => Set<EmailFactorRecord>();

    public DbSet<EmailCodeRecord> EmailCodes => Set<EmailCodeRecord>();

    public DbSet<RuleVersionRecord> RuleVersions => Set<RuleVersionRecord>();

    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // A factor keeps its own records in its folder, with their IEntityTypeConfiguration.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RulesMfaDbContext).Assembly);
        modelBuilder.Entity<TenantRecord>().HasKey(tenant => tenant.Id);
        modelBuilder.Entity<UserRecord>(user =>
        {
            user.HasKey(record => record.Id);
            user.HasIndex(record => new { record.TenantId, record.Email }).IsUnique();
            user.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
        });
        modelBuilder.Entity<RuleRecord>(rule =>
        {
            rule.HasIndex(record => new { record.TenantId, record.RuleId }).IsUnique();
            rule.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
        });
        modelBuilder.Entity<RuleVersionRecord>(version =>
        {
            version.HasIndex(record => new { record.TenantId, record.RuleId, record.Version }).IsUnique();
            version.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
        });
        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.HasIndex(record => new { record.TenantId, record.At });
            audit.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
        });
        modelBuilder.Entity<DecisionRecord>(decision =>
        {
            decision.HasIndex(record => new { record.TenantId, record.At });
            decision.HasOne<TenantRecord>().WithMany().HasForeignKey(record => record.TenantId);
        });
        modelBuilder.Entity<TotpEnrollmentRecord>(totp =>
        {
            totp.HasIndex(record => record.UserId);
            totp.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
        });
        // One key per purpose, whichever host creates it first (ServerKeys).
        modelBuilder.Entity<SigningKeyRecord>().HasIndex(record => record.Purpose).IsUnique();
        modelBuilder.Entity<ThrottleRecord>(throttle =>
        {
            throttle.HasKey(record => record.Key);
            throttle.Property(record => record.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<RememberedBrowserRecord>(browser =>
        {
            browser.HasIndex(record => record.TokenHash).IsUnique();
            browser.HasIndex(record => record.UserId);
            browser.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
        });
        modelBuilder.Entity<EmailFactorRecord>(email =>
        {
            email.HasIndex(record => record.UserId);
            email.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
        });
        modelBuilder.Entity<EmailCodeRecord>(code =>
        {
            code.HasIndex(record => record.UserId);
            code.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
        });
        modelBuilder.Entity<RecoveryCodeRecord>(code =>
        {
            code.HasIndex(record => record.UserId);
            code.HasOne<UserRecord>().WithMany().HasForeignKey(record => record.UserId);
        });
    }
}
