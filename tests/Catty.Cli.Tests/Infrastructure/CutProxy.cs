using System.Net;
using System.Net.Sockets;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on a loopback port in front of the server, so a test can cut every connection through it
/// (as a network drop would) while the server and the session run on. The server builds connect URLs
/// from the Host the client used, so WebSockets go through the proxy too.
/// </summary>
public sealed class CutProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _pairs = [];
    private readonly Task _accepting;

    public CutProxy(Uri server)
    {
        _target = new IPEndPoint(IPAddress.Loopback, server.Port);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>While true, new connections are closed as soon as they are accepted (the server looks gone).</summary>
    public bool Refusing { get; set; }

    /// <summary>Connections currently open through the proxy.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate)
            {
                return _pairs.Count;
            }
        }
    }

    /// <summary>Resets every open connection (RST, no close handshake).</summary>
    public void CutAll()
    {
        lock (_gate)
        {
            foreach (var (client, upstream) in _pairs)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                upstream.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                upstream.Dispose();
            }

            _pairs.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Refusing)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = PairAsync(client);
        }
    }

    private async Task PairAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            upstream.Dispose();
            return;
        }

        lock (_gate)
        {
            _pairs.Add((client, upstream));
        }

        await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client));
        lock (_gate)
        {
            _pairs.Remove((client, upstream));
        }

        client.Dispose();
        upstream.Dispose();
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var read = await input.ReadAsync(buffer);
                if (read == 0)
                {
                    to.Client.Shutdown(SocketShutdown.Send);
                    return;
                }

                await output.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
