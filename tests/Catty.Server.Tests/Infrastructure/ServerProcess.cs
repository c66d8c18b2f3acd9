using System.Diagnostics;
using System.Text.RegularExpressions;
using Catty.Sdk.Api;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>catty-server</c> program as a child process, for what only a separate process shows:
/// the printed banner, start-up failures, and surviving <c>kill -9</c>.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private ServerProcess(Process process)
    {
        _process = process;
        _output = new ProcessOutput(process, "The server");
    }

    public Uri BaseAddress { get; private set; } = null!;

    public CattyClient Client { get; private set; } = null!;

    /// <summary>Everything the server printed, stdout and stderr.</summary>
    public string Output => _output.Text;

    /// <summary>Starts the server on <paramref name="data"/> and waits for its banner.</summary>
    /// <param name="dataDirFromEnvironment">Name the data directory with CATTY_DATA_DIR instead of --data-dir.</param>
    /// <param name="settings">Configuration as environment variables (<c>Catty__Section__Key</c>).</param>
    public static async Task<ServerProcess> StartAsync(
        TestDataDir data, string? bootstrapToken = CattyTestServer.OwnerToken, bool dataDirFromEnvironment = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = Launch(data.Path, bootstrapToken, dataDirFromEnvironment, settings);
        var banner = await server.WaitForOutputAsync(RunningAt(), "the server's banner", Deadline.ProcessStart);
        server.BaseAddress = new Uri(banner.Groups[1].Value + "/");
        server.Client = new CattyClient(new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, bootstrapToken);
        return server;
    }

    /// <summary>Runs the server with <paramref name="dataDir"/> expecting it to refuse to start; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToFailureAsync(string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        await using var server = Launch(dataDir, CattyTestServer.OwnerToken, dataDirFromEnvironment: false, settings);
        await server._process.WaitForExitAsync().Within("the server to exit");
        server._process.WaitForExit();
        return (server._process.ExitCode, server.Output);
    }

    /// <summary>SIGKILL to the server alone, as a crash or <c>kill -9</c> would; its agents are not touched.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public Task<Match> WaitForOutputAsync(Regex pattern, string what, TimeSpan? limit = null) => _output.WaitForAsync(pattern, what, limit);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The server alone: its sessions are the data directory's to clean up.
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ServerProcess Launch(string dataDir, string? bootstrapToken, bool dataDirFromEnvironment, IReadOnlyDictionary<string, string>? settings)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "catty-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in dataDirFromEnvironment ? ["--urls", "http://127.0.0.1:0"] : new[] { "--urls", "http://127.0.0.1:0", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CATTY_DATA_DIR"] = dataDirFromEnvironment ? dataDir : null;

        start.Environment["Catty__Auth__BootstrapToken"] = bootstrapToken;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    [GeneratedRegex(@"Catty is running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();
}
