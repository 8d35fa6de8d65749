using Microsoft.EntityFrameworkCore;

namespace RulesMfa.Host.Storage.PostgreSql;

/// <summary>
/// <see cref="RulesMfaDbContext"/> on PostgreSQL: the same model under its own type, so that EF Core keeps PostgreSQL's
/// migrations (here, in Migrations/) apart from SQLite's (EF Core's multi-provider layout with one context type per provider).
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options) : RulesMfaDbContext(options);
