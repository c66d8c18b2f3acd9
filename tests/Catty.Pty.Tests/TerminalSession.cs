using System.Text;

namespace Catty.Pty.Tests;

/// <summary>
/// A real process on a real PTY with a dedicated reader thread collecting everything it prints, so tests
/// wait for text (with a deadline) instead of sleeping.
/// </summary>
internal sealed class TerminalSession : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly object _gate = new();
    private readonly List<byte> _bytes = [];
    private readonly StringBuilder _text = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly Thread _reader;
    private int _cursor;
    private bool _ended;
    private Exception? _readError;

    private TerminalSession(PtyProcess pty, int readBufferSize)
    {
        Pty = pty;
        _reader = new Thread(() => ReadLoop(readBufferSize)) { IsBackground = true, Name = "test-pty-reader" };
        _reader.Start();
    }

    public PtyProcess Pty { get; }

    /// <summary>A minimal environment: no rc files, predictable prompt, history kept in a temp HOME.</summary>
    public static Dictionary<string, string> BaseEnvironment() => new()
    {
        ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        ["HOME"] = Path.GetTempPath(),
        ["TERM"] = "dumb",
        ["PS1"] = "$ ",
        ["LANG"] = "C.UTF-8",
    };

    public static TerminalSession Start(PtyStartOptions options, int readBufferSize = 4096) =>
        new(PtyProcess.Start(options), readBufferSize);

    public static TerminalSession Start(params string[] argv) =>
        Start(new PtyStartOptions(argv) { Environment = BaseEnvironment() });

    /// <summary>An interactive bash without rc files.</summary>
    public static TerminalSession Bash() => Start("bash", "--noprofile", "--norc", "-i");

    public void Send(string text) => Pty.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>Waits until <paramref name="marker"/> appears after the previous match, and returns the text up to and including it.</summary>
    public string ReadUntil(string marker, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        lock (_gate)
        {
            while (true)
            {
                int at = _text.ToString(_cursor, _text.Length - _cursor).IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    string upTo = _text.ToString(_cursor, at + marker.Length);
                    _cursor += at + marker.Length;
                    return upTo;
                }

                var left = deadline - DateTime.UtcNow;
                if (_ended || left <= TimeSpan.Zero)
                    Assert.Fail($"'{marker}' not seen ({(_ended ? "output ended" : "timed out")}{(_readError is null ? "" : ", " + _readError.Message)}). Output so far:\n{Escape(_text.ToString())}");
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Waits until Read has returned 0 and returns every byte that was read.</summary>
    public byte[] ReadToEnd(TimeSpan? timeout = null)
    {
        Assert.True(_reader.Join(timeout ?? Deadline), $"Output did not end. Output so far:\n{Escape(Text)}");
        lock (_gate)
        {
            Assert.Null(_readError);
            return [.. _bytes];
        }
    }

    public string Text
    {
        get
        {
            lock (_gate)
                return _text.ToString();
        }
    }

    public async Task<PtyExitStatus> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        return await Pty.WaitForExitAsync(cts.Token);
    }

    public void Dispose()
    {
        Pty.Signal(PtySignals.SIGKILL);
        Assert.True(Pty.WaitForExitAsync().Wait(Deadline), "child was not reaped");
        Pty.Dispose();
        Assert.True(_reader.Join(Deadline), "reader thread did not stop");
    }

    private void ReadLoop(int bufferSize)
    {
        var buffer = new byte[bufferSize];
        var chars = new char[bufferSize + 4];
        try
        {
            int n;
            while ((n = Pty.Read(buffer)) > 0)
            {
                lock (_gate)
                {
                    _bytes.AddRange(buffer.AsSpan(0, n));
                    int count = _decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
                    _text.Append(chars, 0, count);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (PtyException e)
        {
            _readError = e;
        }
        finally
        {
            lock (_gate)
            {
                _ended = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private static string Escape(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\x1b", "\\e", StringComparison.Ordinal);
}
