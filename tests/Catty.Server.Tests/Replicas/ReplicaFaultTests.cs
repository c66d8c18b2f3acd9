using System.Text.RegularExpressions;
using Catty.Sdk.Api;
using Catty.Server.Audit;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Replicas;

/// <summary>Replicas that die, and background work that every replica runs but that must happen once.</summary>
public sealed partial class ReplicaFaultTests
{
    [Fact]
    public async Task Ten_clients_of_a_replica_killed_with_sigkill_reconnect_through_another_with_their_screens()
    {
        await using var replicas = await ReplicaSet.StartAsync(3);
        var (a, b, c) = (replicas[0], replicas[1], replicas[2]);
        var sessions = new List<CreateSessionResponse>();
        for (var i = 0; i < 10; i++)
        {
            sessions.Add(await a.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell")));
        }

        var clients = new List<TerminalClient>();
        try
        {
            foreach (var (session, i) in sessions.Select((s, i) => (s, i)))
            {
                var client = await TerminalClient.ConnectAsync(ReplicaSet.Through(b, session.ConnectUrl), session.Headers);
                clients.Add(client);
                await client.SendAsync($"echo before-{i}-$((100+{i}))\r");
                await client.ReadUntilAsync($"before-{i}-{100 + i}");
            }

            b.KillHard();
            foreach (var client in clients)
            {
                await client.WaitForCloseAsync();
            }

            foreach (var (session, i) in sessions.Select((s, i) => (s, i)))
            {
                await clients[i].DisposeAsync();
                clients[i] = await TerminalClient.ConnectAsync(ReplicaSet.Through(c, session.ConnectUrl), session.Headers);

                // The screen comes back as it was, then the session goes on.
                await clients[i].ReadUntilAsync($"before-{i}-{100 + i}");
                await clients[i].SendAsync($"echo after-{i}-$((200+{i}))\r");
                await clients[i].ReadUntilAsync($"after-{i}-{200 + i}");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        var statuses = await replicas.WithDbAsync(db => db.Sessions.Select(s => s.Status).ToListAsync());
        Assert.All(statuses, status => Assert.Equal(SessionStatus.Running, status));
    }

    [Fact]
    public async Task Thirty_sessions_past_their_deadline_are_each_stopped_snapshotted_and_audited_once()
    {
        await using var replicas = await ReplicaSet.StartAsync(3, new Dictionary<string, string>
        {
            ["Catty__Sessions__MinTtl"] = "00:00:01",
            ["Catty__Sessions__CreatesPerMinute"] = "100",
            ["Catty__Sessions__MaxRunningPerUser"] = "100",
            ["Catty__Scheduling__Interval"] = "00:00:00.500",
            ["Catty__Snapshots__FirstDelay"] = "01:00:00",
            ["Catty__Runtimes__Local__ProgramStartHold"] = "00:00:00",
        });
        var created = new List<CreateSessionResponse>();
        for (var i = 0; i < 30; i++)
        {
            created.Add(await replicas[i % 3].Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", TtlSec: 2)));
        }

        // Every replica's scheduler sees every deadline pass; each stop must still happen once.
        await replicas.WaitUntilAsync(
            db => db.Sessions.CountAsync(s => s.MachineState == MachineState.Destroyed).ContinueWith(t => t.Result == 30, TaskScheduler.Default),
            "all 30 sessions to be stopped and destroyed", TimeSpan.FromMinutes(3));

        var (sessions, audits, snapshots) = await replicas.WithDbAsync(async db => (
            await db.Sessions.AsNoTracking().ToListAsync(),
            await db.AuditEvents.AsNoTracking().Where(e => e.Kind == AuditKinds.SessionStopped).Select(e => e.Detail!).ToListAsync(),
            await db.Snapshots.AsNoTracking().GroupBy(s => s.SessionId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync()));
        Assert.All(sessions, s => Assert.Equal((SessionStatus.TimedOut, StopReason.DurationElapsed), (s.Status, s.StopReason)));
        foreach (var session in sessions)
        {
            Assert.Equal(1, audits.Count(detail => detail == $"{session.Label} ({StopReason.DurationElapsed})"));
            Assert.Equal(1, snapshots.SingleOrDefault(s => s.Key == session.Id)?.Count);
            Assert.Equal(1, Regex.Count(replicas.Output, $"Final snapshot of session {session.Id}"));
            Assert.False(replicas.Data.AgentAlive(session.MachineId));
        }
    }

    [Fact]
    public async Task Replicas_ride_out_a_postgres_restart_under_load_without_restarting_and_no_request_hangs()
    {
        var cluster = PostgresCluster.StartPrivate();
        try
        {
            await using var replicas = await ReplicaSet.StartAsync(2, connectionString: cluster.CreateDatabase());
            var session = await replicas[0].Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));

            // Requests keep coming to both replicas while the database goes away and comes back.
            using var load = new CancellationTokenSource();
            var outcomes = new System.Collections.Concurrent.ConcurrentBag<(bool Ok, TimeSpan Took)>();
            var clients = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
            {
                var client = replicas[i % 2].Client;
                while (!load.IsCancellationRequested)
                {
                    var took = System.Diagnostics.Stopwatch.StartNew();
                    try
                    {
                        await client.GetSessionAsync(session.Label).WaitAsync(Deadline.Default);
                        outcomes.Add((true, took.Elapsed));
                    }
                    catch (Exception ex) when (ex is CattyApiException or HttpRequestException)
                    {
                        outcomes.Add((false, took.Elapsed));
                    }
                }
            })).ToList();

            cluster.Restart();
            foreach (var replica in new[] { replicas[0], replicas[1] })
            {
                // Each replica answers again from the restarted database, without being restarted itself.
                await replicas.WaitUntilAsync(async _ =>
                {
                    try
                    {
                        return (await replica.Client.GetSessionAsync(session.Label)).Status == SessionStatus.Running;
                    }
                    catch (CattyApiException)
                    {
                        return false;
                    }
                }, "the replica to answer again after the restart", Deadline.Default);
            }

            await load.CancelAsync();
            await Task.WhenAll(clients).Within("the load to finish");
            Assert.NotEmpty(outcomes);
            Assert.All(outcomes, o => Assert.True(o.Took < Deadline.Default, $"a request took {o.Took}"));
            await using var terminal = await TerminalClient.ConnectAsync(ReplicaSet.Through(replicas[1], session.ConnectUrl), session.Headers);
            await terminal.SendAsync("echo after-restart-$((8*8))\r");
            await terminal.ReadUntilAsync("after-restart-64");
        }
        finally
        {
            cluster.Stop();
        }
    }
}
