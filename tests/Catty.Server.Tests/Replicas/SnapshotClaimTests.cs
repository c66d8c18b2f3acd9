using Catty.Server.Snapshots;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Replicas;

/// <summary>Every replica runs the snapshot schedule; each periodic snapshot is taken by one of them.</summary>
public sealed class SnapshotClaimTests
{
    [Fact]
    public async Task Two_replicas_that_both_see_a_snapshot_due_take_it_once()
    {
        using var data = new TestDataDir();
        var database = PostgresCluster.Shared.CreateDatabase();
        void Replica(ServerSetup s)
        {
            s.DataDir = data;
            s.UsePostgres(database);

            // Snapshot ticks a minute apart on hand-moved clocks; the deadline check stays a day away.
            s.Settings["Catty:Snapshots:Tick"] = "00:01:00";
            s.HandClock();
        }

        await using var a = await CattyTestServer.StartAsync(Replica);
        await using var b = await CattyTestServer.StartAsync(Replica);
        var session = await a.CreateShellAsync();
        var attempts = 0;
        foreach (var replica in new[] { a, b })
        {
            replica.App.Services.GetRequiredService<SnapshotService>().Attempted += (id, _) =>
            {
                if (id == session.SessionId)
                {
                    Interlocked.Increment(ref attempts);
                }
            };
        }

        var ticks = new[] { a, b }.Select(s => s.App.Services.GetRequiredService<SnapshotScheduler>().NextTickAsync()).ToList();
        a.Clock!.Advance(TimeSpan.FromMinutes(1));
        b.Clock!.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(ticks).Within("a snapshot tick on both replicas");

        // One attempt between the two (not one each, the second finding nothing new), and it stored the snapshot.
        Assert.Equal(1, Volatile.Read(ref attempts));
        Assert.Equal(1, await a.WithDbAsync(db => db.Snapshots.CountAsync(s => s.SessionId == session.SessionId)));
        Assert.NotNull(await a.WithDbAsync(db => db.Sessions.Where(s => s.Id == session.SessionId).Select(s => s.NextSnapshotAt).SingleAsync()));
    }
}
