using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RulesMfa.Host.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RulesMfaDbContext>
{
    public RulesMfaDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RulesMfaDbContext>()
        .UseSqlite("Data Source=design-time.db")
        .UseOpenIddict()
        .Options);
}
