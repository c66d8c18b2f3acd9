using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Catty.Sdk.Api;

namespace Catty.Web.Tests.Infrastructure;

/// <summary>
/// The real <c>catty-server</c> program, with the dashboard built into it, on a loopback port of its own and
/// a fresh data directory; its sessions are real <c>shell</c> sessions in real PTYs.
/// </summary>
internal sealed partial class DashboardServer : IAsyncDisposable
{
    public const string OwnerToken = "catty_web-test-owner-token-0123456789abcdef";

    /// <summary>
    /// Every test signs in from this machine's one address and makes sessions, so the per-address and per-user
    /// limits are raised above what a run needs; their own tests are the server's.
    /// </summary>
    private static readonly Dictionary<string, string> TestDefaults = new()
    {
        ["Catty:Auth:SignInAttemptsPerMinute"] = "10000",
        ["Catty:Sessions:CreatesPerMinute"] = "10000",
    };

    private int _accounts;

    private readonly Process _process;
    private readonly TestDataDir _data;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DashboardServer(Process process, TestDataDir data)
    {
        _process = process;
        _data = data;
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The owner's typed client: what the CLI would do beside the browser.</summary>
    public CattyClient Client { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server; <paramref name="settings"/> are configuration keys like <c>Catty:Dashboard:RefreshInterval</c>.</summary>
    public static async Task<DashboardServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var data = new TestDataDir();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "catty-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--urls", "http://127.0.0.1:0", "--data-dir", data.Path })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Catty__Auth__BootstrapToken"] = OwnerToken;
        foreach (var (key, value) in TestDefaults.Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new DashboardServer(process, data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException($"catty-server exited early. It printed:\n{server.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.BaseAddress = await server._listening.Task.Within("catty-server's banner", Deadline.ProcessStart);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        server.Client = new CattyClient(new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, OwnerToken);
        return server;
    }

    /// <summary>A fresh plain HTTP client without credentials, for what any browser may fetch.</summary>
    public HttpClient Anonymous(bool decompress = true) =>
        new(new HttpClientHandler { AutomaticDecompression = decompress ? System.Net.DecompressionMethods.All : System.Net.DecompressionMethods.None })
        {
            BaseAddress = BaseAddress,
        };

    /// <summary>A new person on this server, with sessions of their own: an invite from the owner, accepted as a browser does.</summary>
    public Task<Account> NewAccountAsync() => Account.CreateAsync(this, $"person{Interlocked.Increment(ref _accounts)}@catty.test");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _data.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        if (RunningAt().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
    }

    [GeneratedRegex(@"Catty is running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();
}
