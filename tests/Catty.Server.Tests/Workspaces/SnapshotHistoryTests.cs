using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Workspaces;

public class SnapshotHistoryTests
{
    /// <summary>Where the servers of these tests keep their metadata: SQLite here, PostgreSQL in the subclass.</summary>
    private protected virtual void ChooseDatabase(ServerSetup setup)
    {
    }

    private Task<CattyTestServer> StartServerAsync(Action<ServerSetup>? configure = null) =>
        CattyTestServer.StartAsync(setup =>
        {
            ChooseDatabase(setup);
            configure?.Invoke(setup);
        });

    [Fact]
    public async Task The_history_keeps_the_configured_number_of_snapshots_and_each_kept_one_downloads()
    {
        await using var server = await StartServerAsync(s =>
        {
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
            s.Settings["Catty:Snapshots:History"] = "2";
        });
        var session = await server.CreateShellAsync();
        var notes = Path.Combine(SnapshotTests.WorkspaceOf(server, session), "notes.txt");
        var taken = new List<SnapshotInfo>();
        foreach (var version in new[] { "one", "two", "three" })
        {
            await File.WriteAllTextAsync(notes, version);
            taken.Add((await server.Client.TakeSnapshotAsync(session.Label)).Snapshot!);
        }

        var history = await server.Client.ListSnapshotsAsync(session.Label);

        Assert.Equal([2, 3], history.Select(h => h.Seq));
        var dropped = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.GetDownloadAsync(session.Label, taken[0].Id));
        Assert.Equal((HttpStatusCode.NotFound, "no_snapshot"), (dropped.Status, dropped.Error));
        foreach (var (kept, expected) in history.Zip(new[] { "two", "three" }))
        {
            using var extracted = new TestDataDir();
            await DownloadTests.ExtractAsync(await server.Client.GetDownloadAsync(session.Label, kept.Id), extracted.Path);
            Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(extracted.Path, "notes.txt")));
        }
    }
}

/// <summary>The same tests with the metadata in PostgreSQL.</summary>
public sealed class SnapshotHistoryTestsOnPostgres : SnapshotHistoryTests
{
    private protected override void ChooseDatabase(ServerSetup setup) => setup.UsePostgres();
}
