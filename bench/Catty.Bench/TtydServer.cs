using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Catty.Bench;

/// <summary>
/// ttyd, the reference: a C web terminal (libwebsockets, libuv) with one hop where Catty has two. Started on a
/// loopback port chosen by the kernel; every WebSocket to it spawns its own copy of the command.
/// </summary>
internal sealed partial class TtydServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private TtydServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public static async Task<TtydServer> StartAsync(string ttyd, IReadOnlyList<string> command, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("catty-bench-ttyd-").FullName;
        var psi = new ProcessStartInfo(ttyd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // ttyd drops a client that leaves its pings unanswered for a few seconds; the bench reads one terminal at a
        // time, so the others sit unread meanwhile.
        foreach (var arg in new[] { "--writable", "--interface", "127.0.0.1", "--port", "0", "--cwd", directory, "--ping-interval", "3600" })
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var arg in command)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start ttyd");
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is { } line && ListeningOn().Match(line) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var exited = process.WaitForExitAsync(ct).ContinueWith(_ => -1, ct, TaskContinuationOptions.None, TaskScheduler.Default);
        var first = await Task.WhenAny(port.Task, exited).WaitAsync(TimeSpan.FromSeconds(20), ct);
        if (first != port.Task)
        {
            throw new InvalidOperationException($"ttyd exited with code {process.ExitCode} before listening");
        }

        return new TtydServer(process, await port.Task, directory);
    }

    public long RssBytes() => ProcFs.RssBytes(_process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"Listening on port: (\d+)")]
    private static partial Regex ListeningOn();
}
