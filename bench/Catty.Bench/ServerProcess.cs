using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Catty.Sdk.Api;

namespace Catty.Bench;

/// <summary>A real catty-server child process on a loopback port with its own data directory.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private ServerProcess(Process process, string dataDir, Uri baseUri, string token)
    {
        _process = process;
        _dataDir = dataDir;
        BaseUri = baseUri;
        Token = token;
    }

    public Uri BaseUri { get; }

    public string Token { get; }

    public int Pid => _process.Id;

    /// <summary>The server's data directory (workspaces live under <c>workspaces/&lt;machine-id&gt;</c>).</summary>
    public string DataDir => _dataDir;

    /// <param name="scheduledSnapshots">False turns the server's snapshot schedule off, so that snapshots are taken only when the bench asks.</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, bool scheduledSnapshots, CancellationToken ct)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "catty-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var token = "catty_bench_" + Guid.NewGuid().ToString("N");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(serverDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(dataDir);
        psi.Environment["Catty__Auth__BootstrapToken"] = token;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Catty__Sessions__MaxRunningPerUser"] = "1000";
        psi.Environment["Catty__Sessions__CreatesPerMinute"] = "10000";
        if (!scheduledSnapshots)
        {
            psi.Environment["Catty__Snapshots__FirstDelay"] = "1.00:00:00";
            psi.Environment["Catty__Snapshots__Interval"] = "1.00:00:00";
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start catty-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("server: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, dataDir, new Uri($"http://127.0.0.1:{port}/"), token);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var client = new CattyClient(http, token);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.ListRegionsAsync(ct);
                return server;
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    public CattyClient CreateClient() => new(new HttpClient { BaseAddress = BaseUri }, Token);

    public long RssBytes() => ProcFs.RssBytes(_process.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var client = CreateClient().Http;
            foreach (var s in await new CattyClient(client, null).ListSessionsAsync())
            {
                if (s.MachineState == MachineState.Started)
                {
                    await new CattyClient(client, null).StopSessionAsync(s.SessionId.ToString());
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or CattyApiException)
        {
            Console.Error.WriteLine("bench: could not stop sessions: " + e.Message);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
