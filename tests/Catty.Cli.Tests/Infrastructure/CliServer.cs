using System.Diagnostics;
using System.Text.RegularExpressions;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// The real catty-server program on a loopback port, with the owner's API token preset through
/// <c>Catty__Auth__BootstrapToken</c> and a fresh data directory; its sessions die with it. Settings
/// (<c>Catty__Section__Key</c> environment variables) replace the defaults below.
/// </summary>
public partial class CliServer : IAsyncLifetime
{
    public const string OwnerToken = "catty_cli-test-owner-token-0123456789abcdefgh";

    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal)
    {
        ["Catty__Sessions__MaxRunningPerUser"] = "200",
        ["Catty__Sessions__CreatesPerMinute"] = "1000",
    };

    private static readonly SemaphoreSlim Starting = new(1, 1);

    private Process _process = null!;

    public CliServer()
    {
    }

    protected CliServer(IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (name, value) in settings)
        {
            _settings[name] = value;
        }
    }

    /// <summary>A server of its own for one test, with <paramref name="settings"/>; dispose it at the end.</summary>
    public static async Task<CliServer> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var server = new CliServer(settings);
        await server.InitializeAsync();
        return server;
    }
    private ProcessOutput _output = null!;

    internal TestDataDir Data { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The owner's typed client, for setting up and checking what the CLI did.</summary>
    public CattyClient Api { get; private set; } = null!;

    public string Output => _output.Text;

    /// <summary>The folder a local session's workspace lives in on the server's side.</summary>
    public string WorkspaceOf(string machineId) => Path.Combine(Data.Path, "workspaces", machineId);

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "catty-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--urls", "http://127.0.0.1:0", "--data-dir", Data.Path })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Catty__Auth__BootstrapToken"] = OwnerToken;
        foreach (var (name, value) in _settings)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = new Process { StartInfo = start };
        _output = new ProcessOutput(_process, "catty-server");

        // One server starts at a time: a start is mostly JIT, and two at once on a busy machine (the
        // fixtures of two test collections begin together) each take longer than both in turn.
        await Starting.WaitAsync();
        Match banner;
        try
        {
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            banner = await _output.WaitForAsync(RunningAt(), "the server's banner", Deadline.Default * 4);
        }
        finally
        {
            Starting.Release();
        }

        BaseAddress = new Uri(banner.Groups[1].Value + "/");
        Api = new CattyClient(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, OwnerToken);
    }

    /// <summary>Starts a shell session through the API (as another client would).</summary>
    public Task<CreateSessionResponse> CreateShellAsync() =>
        Api.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));

    public async Task DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Data.Dispose();
    }

    [GeneratedRegex(@"Catty is running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();
}

/// <summary>Tests that start sessions share one server and run one at a time (each drives real terminals).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<CliServer>
{
    public const string Name = "catty-server";
}
