using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host;
using RulesMfa.Host.Mfa;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Storage;

/// <summary>Everything the server writes in its data folder is readable by its own account only (file modes: not on Windows).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[NonParallelizable]
public sealed class FilesAtRestTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Test]
    public async Task DataFolder_AfterFirstStartAndAnEmail_HoldsOnlyOwnerOnlyFiles()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        var log = Path.Combine(data, "rulesmfa.log.json");

        // No demo credentials in the settings: the first start generates them into the data folder.
        var app = ServerApp.Build(["--urls", "http://127.0.0.1:0", "--Server:DataFolder", data, "--Server:LogFile", log]);
        await using (app)
        {
            await ServerApp.InitializeAsync(app);
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IEmailSender>().SendAsync(
                new EmailMessage("ada@example.com", "Your sign-in code", "Your code is 123456."), CancellationToken.None);
            var files = Directory.GetFiles(data).Select(Path.GetFileName).ToList();

            Assert.Multiple(() =>
            {
                Assert.That(files, Is.SupersetOf(new[] { "rulesmfa.db", "rulesmfa.db-wal", "rulesmfa.db-shm", OutboxEmailSender.DefaultFileName, "demo-credentials.txt", "rulesmfa.log.json" }));
                Assert.That(File.GetUnixFileMode(data), Is.EqualTo(OwnerReadWrite | UnixFileMode.UserExecute), "the folder");
                foreach (var file in files)
                {
                    Assert.That(File.GetUnixFileMode(Path.Combine(data, file!)), Is.EqualTo(OwnerReadWrite), file);
                }
            });
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Database_LeftReadableByAnOlderVersion_IsNarrowedAtStart()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        var app = ServerApp.Build(["--Server:DataFolder", data, "--Demo:UserPassword", "p", "--Demo:ClientSecret", "s"]);
        await using (app)
        {
            await ServerApp.InitializeAsync(app);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var database = Path.Combine(data, "rulesmfa.db");
        File.SetUnixFileMode(database, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using (ServerApp.Build(["--Server:DataFolder", data]))
        {
            Assert.That(File.GetUnixFileMode(database), Is.EqualTo(OwnerReadWrite));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
