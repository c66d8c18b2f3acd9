using System.Buffers;
using System.Net.Sockets;

namespace Catty.Server.Relay;

/// <summary>
/// Copies bytes both ways between an upgraded client connection and the agent until either side ends.
/// The bytes are WebSocket frames, but nothing here looks at them.
/// </summary>
internal static class OpaqueStreamPump
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>Bytes copied without a wait after which the copy leaves the socket engine's thread.</summary>
    private const int FloodBytes = 256 * 1024;

    /// <summary>How long the agent gets to finish after the client half-closed, before the relay hangs up.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Stream client, NetworkStream agent, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(client, agent, stop.Token);
        var down = CopyAsync(agent, client, stop.Token);
        // The copies run on the socket engine's thread (see InlineCompletions); what follows is not byte relaying
        // and goes back to the thread pool.
        var first = await Task.WhenAny(up, down).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        if (first == up)
        {
            // The client is gone or half-closed: tell the agent, and give it a moment to close its side.
            ShutdownSend(agent.Socket);
            stop.CancelAfter(DrainTimeout);
        }
        else
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var streak = 0L;
            while (true)
            {
                var reading = from.ReadAsync(buffer, cancellationToken);
                if (!reading.IsCompleted)
                {
                    streak = 0;
                }

                var read = await reading;
                if (read == 0)
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await to.FlushAsync(cancellationToken);

                // While both sides keep up, every call completes at once and this loop would hold the socket
                // engine's thread, which serves every connection; a flood moves to the thread pool until a read
                // has to wait again.
                streak += read;
                if (streak >= FloodBytes)
                {
                    streak = 0;
                    await Task.Yield();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side hung up or the relay is ending; the other direction is stopped by RunAsync.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
