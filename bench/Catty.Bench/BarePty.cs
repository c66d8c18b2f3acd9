using System.Collections;
using Catty.Pty;

namespace Catty.Bench;

/// <summary>
/// The floor: the same shell in a PTY read straight from this process, with a blocking read of the agent's
/// read size, no sockets and no screen model. What the kernel's terminal layer costs on this machine.
/// </summary>
internal sealed class BarePty : IBenchTerminal
{
    private readonly PtyProcess _process;
    private readonly string _directory;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private BarePty(PtyProcess process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>The shell's pid: the commands it runs are its children.</summary>
    public int Pid => _process.Pid;

    public static BarePty Start(IReadOnlyList<string> argv)
    {
        var directory = Directory.CreateTempSubdirectory("catty-bench-pty-").FullName;
        var environment = new Dictionary<string, string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        environment["TERM"] = "xterm-256color";
        return new BarePty(PtyProcess.Start(new PtyStartOptions(argv) { Environment = environment, WorkingDirectory = directory }), directory);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> input, CancellationToken ct)
    {
        _process.Write(input.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Blocks in read(2) on the caller's thread: no hand-off between the kernel and the measurement.</summary>
    public ValueTask<ReadOnlyMemory<byte>> ReceiveOutputAsync(CancellationToken ct)
    {
        var n = _process.Read(_buffer);
        return n > 0
            ? ValueTask.FromResult<ReadOnlyMemory<byte>>(_buffer.AsMemory(0, n))
            : ValueTask.FromException<ReadOnlyMemory<byte>>(new InvalidOperationException("the bare PTY's shell has exited"));
    }

    public async ValueTask DisposeAsync()
    {
        _process.Signal(9);
        _process.Dispose();
        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Directory.Delete(_directory, recursive: true);
    }
}
