using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Workspaces;

/// <summary>The stops the scheduler makes (deadline, inactivity) save a final snapshot too, as a user stop does.</summary>
public sealed class TimedStopSnapshotTests
{
    [Theory]
    [InlineData(StopReason.DurationElapsed)]
    [InlineData(StopReason.Inactive)]
    public async Task A_timed_out_session_leaves_a_final_snapshot_of_its_last_files(string reason)
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.FakeClock = true;
            s.Settings["Catty:Scheduling:Interval"] = "00:00:01";
            s.Settings["Catty:Scheduling:InactivityLimit"] = "00:10:00";
            // No scheduled snapshot within the test's time: the one found must be the stop's.
            s.Settings["Catty:Snapshots:FirstDelay"] = "03:00:00";
        });
        var session = await server.CreateShellAsync(ttlSec: 3600);
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("uploaded.txt", WorkspaceZip.Text("uploaded"), 0x1A4)));
        await File.WriteAllTextAsync(Path.Combine(SnapshotTests.WorkspaceOf(server, session), "written-later.txt"), "later");
        Assert.Empty(await SnapshotTests.SnapshotsOfAsync(server, session.SessionId));

        // Ticks until the scheduler stops it: past the deadline, or with the activity count standing still.
        var step = reason == StopReason.DurationElapsed ? TimeSpan.FromSeconds(3601) : TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1);
        for (var tick = 0; tick < 5 && (await server.Client.GetSessionAsync(session.Label)).Status == SessionStatus.Running; tick++)
        {
            await server.AdvanceAndTickAsync(step);
        }

        await server.WaitForEndAsync(session.SessionId, "the scheduler's stop");
        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.TimedOut, reason), (info.Status, info.StopReason));
        var snapshot = Assert.Single(await SnapshotTests.SnapshotsOfAsync(server, session.SessionId));
        var files = await SnapshotTests.ReadSnapshotAsync(server, snapshot);
        Assert.Equal(("uploaded", "later"), (files["uploaded.txt"], files["written-later.txt"]));
        Assert.Contains(server.Logs.Lines, l => l.Contains($"Final snapshot of session {session.SessionId}: Taken", StringComparison.Ordinal));
    }
}
