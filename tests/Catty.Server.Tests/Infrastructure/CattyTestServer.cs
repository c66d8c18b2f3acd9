using Catty.Sdk.Api;
using Catty.Server.Scheduling;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>What a test changes about the server it starts.</summary>
internal sealed class ServerSetup
{
    /// <summary>Configuration on top of appsettings.json (keys like <c>Catty:Scheduling:Interval</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Run the server on a <see cref="FakeTimeProvider"/> set to the current time.</summary>
    public bool FakeClock { get; set; }

    /// <summary>Reuse this data directory instead of a fresh one (the caller disposes it).</summary>
    public TestDataDir? DataDir { get; set; }

    /// <summary>Keeps the metadata in a fresh database of the test run's PostgreSQL cluster instead of SQLite.</summary>
    public void UsePostgres() => UsePostgres(PostgresCluster.Shared.CreateDatabase());

    /// <summary>Keeps the metadata in the PostgreSQL database <paramref name="connectionString"/> names.</summary>
    public void UsePostgres(string connectionString)
    {
        Settings["Catty:Database:Provider"] = "postgres";
        Settings["ConnectionStrings:Catty"] = connectionString;
    }

    /// <summary>
    /// A fake clock for a test that only moves time past an expiry: the scheduler and the snapshot timer
    /// tick once a day, because a fake clock fires a periodic timer once for every period it is moved
    /// across (a day of one-second ticks is minutes of work that would slow every test beside it).
    /// </summary>
    public void HandClock()
    {
        FakeClock = true;
        Settings.TryAdd("Catty:Scheduling:Interval", "1.00:00:00");
        Settings.TryAdd("Catty:Snapshots:Tick", "1.00:00:00");
    }
}

/// <summary>
/// catty-server in this process on real Kestrel at 127.0.0.1:0, built by the same CattyServer steps as
/// the program, with a fresh data directory, the owner's API token preset, and every log line captured.
/// </summary>
internal sealed class CattyTestServer : IAsyncDisposable
{
    public const string OwnerToken = "catty_test-owner-token-0123456789abcdefghij";

    private readonly bool _ownsDataDir;

    private CattyTestServer(WebApplication app, TestDataDir dataDir, bool ownsDataDir, LogCapture logs, FakeTimeProvider? clock)
    {
        App = app;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Logs = logs;
        Clock = clock;
        BaseAddress = new Uri(app.Urls.Single());
        Client = NewClient(OwnerToken);
    }

    public WebApplication App { get; }

    public TestDataDir DataDir { get; }

    public LogCapture Logs { get; }

    public FakeTimeProvider? Clock { get; }

    public Uri BaseAddress { get; }

    /// <summary>The owner's typed client, the same one the CLI uses.</summary>
    public CattyClient Client { get; }

    public SessionScheduler Scheduler => App.Services.GetRequiredService<SessionScheduler>();

    public static async Task<CattyTestServer> StartAsync(Action<ServerSetup>? configure = null)
    {
        var setup = new ServerSetup();
        configure?.Invoke(setup);
        var dataDir = setup.DataDir ?? new TestDataDir();
        var builder = CattyServer.CreateBuilder(["--urls", "http://127.0.0.1:0", "--data-dir", dataDir.Path]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Catty:Auth:BootstrapToken"] = OwnerToken,
            ["Logging:LogLevel:Default"] = "Trace",

            // These tests see the server as a backend-only build would; the dashboard has its own tests.
            ["Catty:Dashboard:Dir"] = Path.Combine(dataDir.Path, "no-dashboard"),
        });
        builder.Configuration.AddInMemoryCollection(setup.Settings);
        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        FakeTimeProvider? clock = null;
        if (setup.FakeClock)
        {
            clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        try
        {
            var app = CattyServer.Build(builder);
            await app.StartAsync();
            return new CattyTestServer(app, dataDir, setup.DataDir is null, logs, clock);
        }
        catch when (setup.DataDir is null)
        {
            // A server that refused to start leaves nothing behind.
            dataDir.Dispose();
            throw;
        }
    }

    /// <summary>A browser with its own cookie jar.</summary>
    public BrowserClient NewBrowser() => new(BaseAddress);

    public CattyClient NewClient(string? token) =>
        new(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, token);

    public Task<CreateSessionResponse> CreateShellAsync(IReadOnlyDictionary<string, string>? secrets = null, int? ttlSec = null) =>
        Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Secrets: secrets, TtlSec: ttlSec));

    /// <summary>Runs <paramref name="action"/> against the database, as the server sees it.</summary>
    public async Task<T> WithDbAsync<T>(Func<CattyDbContext, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<CattyDbContext>());
    }

    /// <summary>Completes once the session has ended (now or earlier) and its machine is destroyed.</summary>
    public async Task WaitForEndAsync(Guid sessionId, string because)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopper = App.Services.GetRequiredService<SessionStopper>();
        void OnEnded(Guid id)
        {
            if (id == sessionId)
            {
                ended.TrySetResult();
            }
        }

        stopper.Ended += OnEnded;
        try
        {
            var done = await WithDbAsync(db => db.Sessions.AnyAsync(s => s.Id == sessionId && s.MachineState == MachineState.Destroyed));
            if (!done)
            {
                await ended.Task.Within(because);
            }
        }
        finally
        {
            stopper.Ended -= OnEnded;
        }
    }

    /// <summary>Moves the fake clock and waits until the scheduler has run a tick that saw the new time.</summary>
    public async Task AdvanceAndTickAsync(TimeSpan by)
    {
        var clock = Clock ?? throw new InvalidOperationException("This server runs on the real clock.");
        var tick = Scheduler.NextTickAsync();
        clock.Advance(by);
        await tick.Within("a scheduler tick");
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDataDir)
        {
            DataDir.Dispose();
        }
    }
}
