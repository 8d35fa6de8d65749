using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Storage;

/// <summary>
/// A lost insert race (two requests creating one counter) is handled by the code that expects it, so the server's log
/// must not show it as an error with a stack trace, as EF Core's defaults do.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class HandledRaceLoggingTests(StorageProvider storageProvider)
{
    [Test]
    public async Task DuplicateKeyInsert_IsLoggedBelowWarning_ButStillLogged()
    {
        using var database = await TestDatabase.CreateAsync(storageProvider);
        var log = new RecordedLog();
        var registrations = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(log));
        database.Target.AddDbContext(registrations);
        await using var services = registrations.BuildServiceProvider();

        await InsertCounterAsync(services, "race:one");
        var lost = Assert.ThrowsAsync<DbUpdateException>(() => InsertCounterAsync(services, "race:one"));

        Assert.Multiple(() =>
        {
            Assert.That(lost, Is.Not.Null);
            Assert.That(log.Entries.Where(entry => entry.Level >= LogLevel.Warning).Select(entry => $"{entry.Level} {entry.EventId.Name}"), Is.Empty);
            Assert.That(log.Entries.Where(entry => entry.Level == LogLevel.Debug).Select(entry => entry.EventId.Id),
                Does.Contain(RelationalEventId.CommandError.Id).And.Contain(CoreEventId.SaveChangesFailed.Id));
        });
    }

    private static async Task InsertCounterAsync(IServiceProvider services, string key)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        context.Throttles.Add(new ThrottleRecord { Key = key, UpdatedAt = DateTimeOffset.UnixEpoch });
        await context.SaveChangesAsync();
    }

    private sealed class RecordedLog : ILoggerProvider
    {
        private readonly List<(LogLevel Level, EventId EventId)> entries = [];

        public IReadOnlyList<(LogLevel Level, EventId EventId)> Entries
        {
            get
            {
                lock (entries)
                {
                    return [.. entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(RecordedLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (log.entries)
                {
                    log.entries.Add((logLevel, eventId));
                }
            }
        }
    }
}
