using System.Globalization;
using System.Text;

namespace Catty.Agent.Hosting;

/// <summary>
/// The agent's only log: <c>STATE_DIR/agent.log</c>. Never stdout/stderr, whose reader (the server that
/// started us) may be gone. Logging never throws; secrets are never passed here (callers log names, not values).
/// </summary>
internal sealed class AgentLog : IDisposable
{
    private const long RotateAtBytes = 1024 * 1024;
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private FileStream? _file;

    private AgentLog(FileStream? file, TimeProvider time)
    {
        _file = file;
        _time = time;
    }

    /// <summary>A log that drops everything (tests and the moments before the state dir exists).</summary>
    public static AgentLog Null { get; } = new(null, TimeProvider.System);

    public static AgentLog Open(string path, TimeProvider time)
    {
        try
        {
            // One previous generation is kept; an agent runs for hours at most, so this bounds the folder.
            var info = new FileInfo(path);
            if (info.Exists && info.Length > RotateAtBytes)
                File.Move(path, path + ".1", overwrite: true);
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.Read,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return new AgentLog(file, time);
        }
        catch (IOException)
        {
            return Null;
        }
        catch (UnauthorizedAccessException)
        {
            return Null;
        }
    }

    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        if (_file is null)
            return;
        var line = string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {level} {message}\n");
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            try
            {
                _file?.Write(bytes);
                _file?.Flush();
            }
            catch (IOException)
            {
                // A full disk must not take the session down with it.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
