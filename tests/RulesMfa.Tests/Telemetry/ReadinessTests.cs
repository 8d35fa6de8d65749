using System.Net;
using Microsoft.Data.Sqlite;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Telemetry;

/// <summary>/ready answers from the database: 503 while it is gone, with nothing that tells the configuration.</summary>
[NonParallelizable]
public sealed class ReadinessTests
{
    [Test]
    public async Task Ready_DataFolderGone_IsUnavailableUntilItIsBack()
    {
        await using var server = await RulesMfaServer.StartAsync();
        using var http = new HttpClient();
        var before = await http.GetAsync(server.BaseUrl + "/ready");
        var away = server.DataFolder + "-away";

        // The volume is gone: the folder moved away, and the open connections closed (SQLite reads an unlinked file
        // through a handle it holds, so a pooled connection would still answer).
        Directory.Move(server.DataFolder, away);
        SqliteConnection.ClearAllPools();
        HttpResponseMessage gone;
        string goneBody;
        try
        {
            gone = await http.GetAsync(server.BaseUrl + "/ready");
            goneBody = await gone.Content.ReadAsStringAsync();
        }
        finally
        {
            Directory.Move(away, server.DataFolder);
        }

        var back = await http.GetAsync(server.BaseUrl + "/ready");

        Assert.Multiple(() =>
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(goneBody, Is.EqualTo("""{"status":"unavailable"}"""), "no path, provider or error in the answer");
            Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Ready_DatabaseFileReplacedByAnEmptyOne_IsUnavailable()
    {
        await using var server = await RulesMfaServer.StartAsync();
        using var http = new HttpClient();
        var file = Directory.GetFiles(server.DataFolder, "*.db").Single();
        var before = await http.GetAsync(server.BaseUrl + "/ready");

        // The file lost (a restore gone wrong): SQLite opens an empty database in its place, where "SELECT 1" would still work.
        SqliteConnection.ClearAllPools();
        File.Move(file, file + ".lost");
        var ready = await http.GetAsync(server.BaseUrl + "/ready");

        Assert.Multiple(() =>
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        });
    }
}
