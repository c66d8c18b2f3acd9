using Catty.Server.Storage;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Replicas;

/// <summary>
/// N real catty-server processes on one fresh PostgreSQL database and one data directory (the local runtime), as
/// replicas on one host run. The first is started alone so that it creates the owner; the others then start together.
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    private readonly List<ServerProcess> _replicas;

    private ReplicaSet(TestDataDir data, string connectionString, Dictionary<string, string> settings, List<ServerProcess> replicas)
    {
        Data = data;
        ConnectionString = connectionString;
        Settings = settings;
        _replicas = replicas;
    }

    public TestDataDir Data { get; }

    public string ConnectionString { get; }

    public Dictionary<string, string> Settings { get; }

    public ServerProcess this[int index] => _replicas[index];

    public static async Task<ReplicaSet> StartAsync(int count, IReadOnlyDictionary<string, string>? extra = null, string? connectionString = null)
    {
        var data = new TestDataDir();
        connectionString ??= PostgresCluster.Shared.CreateDatabase();
        var settings = new Dictionary<string, string>
        {
            ["Catty__Database__Provider"] = "postgres",
            ["ConnectionStrings__Catty"] = connectionString,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        var replicas = new List<ServerProcess>();
        try
        {
            replicas.Add(await ServerProcess.StartAsync(data, settings: settings));
            replicas.AddRange(await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => ServerProcess.StartAsync(data, settings: settings))));
        }
        catch
        {
            foreach (var started in replicas)
            {
                await started.DisposeAsync();
            }

            data.Dispose();
            throw;
        }

        return new ReplicaSet(data, connectionString, settings, replicas);
    }

    /// <summary>The database as every replica sees it.</summary>
    public async Task<T> WithDbAsync<T>(Func<CattyDbContext, Task<T>> action)
    {
        await using var db = new PostgresCattyDbContext(new DbContextOptionsBuilder<PostgresCattyDbContext>().UseNpgsql(ConnectionString).Options);
        return await action(db);
    }

    /// <summary>Checks <paramref name="condition"/> against the database every 100 ms until it holds, failing after <paramref name="limit"/>.</summary>
    public async Task WaitUntilAsync(Func<CattyDbContext, Task<bool>> condition, string what, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!await WithDbAsync(condition))
        {
            try
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for {what}.\n{Output}");
            }
        }
    }

    /// <summary><paramref name="url"/> (a connect or download URL one replica handed out) pointed at another replica.</summary>
    public static string Through(ServerProcess replica, string url) =>
        new UriBuilder(url) { Host = replica.BaseAddress.Host, Port = replica.BaseAddress.Port }.Uri.ToString();

    /// <summary>All replicas' output, for a failing test and for counting log lines across them.</summary>
    public string Output => string.Join("\n", _replicas.Select((r, i) => $"--- replica {i} ---\n{r.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        Data.Dispose();
    }
}
