using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Catty.Agent.Hosting;

namespace Catty.Agent.Attention;

/// <summary>
/// The channel hooks report on: a Unix socket in the session's private home, so only this session's
/// programs can reach it, and only to speak for this session. One report per connection:
/// <c>CATTY-HOOK 1 TOKEN SOURCE EVENT\n</c> then the hook's payload, then end of stream; the answer is
/// <c>ok</c> or <c>error CODE</c>. Reports are bounded in size, time and rate: a flooding or garbled
/// program changes nothing but its own state.
/// </summary>
internal sealed class HookListener : IDisposable
{
    public const int MaxHeaderBytes = 256;
    public const int MaxPayloadBytes = 64 * 1024;
    public const int MaxConcurrent = 4;
    private static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly byte[] _token;
    private readonly string _source;
    private readonly AttentionTracker _tracker;
    private readonly ReportRate _rate;
    private readonly AgentLog _log;
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private readonly CancellationTokenSource _stop = new();
    private int _refused;

    private HookListener(Socket socket, string token, string source, AttentionTracker tracker, ReportRate rate, AgentLog log)
    {
        _socket = socket;
        _token = Encoding.UTF8.GetBytes(token);
        _source = source;
        _tracker = tracker;
        _rate = rate;
        _log = log;
    }

    /// <summary>How many reports were refused (bad token, too big, too fast, garbled).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Binds <paramref name="path"/> (0600, a stale file replaced) and serves until disposed.</summary>
    public static HookListener Start(string path, string token, string source, AttentionTracker tracker, ReportRate rate, AgentLog log)
    {
        if (File.Exists(path))
            File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(16);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var listener = new HookListener(socket, token, source, tracker, rate, log);
        _ = listener.AcceptLoopAsync();
        return listener;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (!_slots.Wait(0))
            {
                // More reports at once than any hook sends: the extra ones are dropped unread.
                Interlocked.Increment(ref _refused);
                client.Dispose();
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using (client)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(ReadDeadline);
                string answer;
                try
                {
                    answer = await HandleAsync(client, deadline.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
                {
                    answer = "timeout";
                }
                if (answer != "ok")
                    Interlocked.Increment(ref _refused);
                try
                {
                    await client.SendAsync(Encoding.ASCII.GetBytes(answer == "ok" ? "ok\n" : "error " + answer + "\n"), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                    // Closing with unread input would reset the connection and lose the answer: take the
                    // rest of an oversized report, unread, until it ends or the deadline passes.
                    client.Shutdown(SocketShutdown.Send);
                    var sink = new byte[16 * 1024];
                    while (await client.ReceiveAsync(sink, SocketFlags.None, deadline.Token).ConfigureAwait(false) > 0)
                    {
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    // The reporter went away or overstayed; its report was answered or counted already.
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Reads and applies one report; returns "ok" or the error code to answer.</summary>
    private async Task<string> HandleAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[MaxHeaderBytes + MaxPayloadBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
                break;
            length += n;
        }
        var newline = Array.IndexOf(buffer, (byte)'\n', 0, Math.Min(length, MaxHeaderBytes));
        if (newline < 0)
            return "bad_header";
        var parts = Encoding.ASCII.GetString(buffer, 0, newline).Split(' ');
        if (parts.Length != 5 || parts[0] != "CATTY-HOOK" || parts[1] != "1")
            return "bad_header";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), _token))
            return "unauthorized";
        if (parts[3] != _source || !IsEventName(parts[4]))
            return "bad_header";
        var payloadLength = length - newline - 1;
        if (payloadLength > MaxPayloadBytes)
            return "too_large";
        if (!_rate.TryTake())
            return "rate_limited";
        if (HookReport.StateOf(_source, parts[4], buffer.AsSpan(newline + 1, payloadLength)) is { } state)
        {
            _tracker.Report(state);
            _log.Info($"hook {_source} {parts[4]}: {state}");
        }
        return "ok";
    }

    private static bool IsEventName(string name) =>
        name.Length is > 0 and <= 40 && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '-' or '_');

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }
}
