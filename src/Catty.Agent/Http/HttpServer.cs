using System.Net.Sockets;
using Catty.Agent.Hosting;

namespace Catty.Agent.Http;

/// <summary>One accepted request: the connection's stream and what was read from it.</summary>
internal sealed record HttpExchange(Stream Stream, HttpRequest Request, ReadOnlyMemory<byte> Leftover);

/// <summary>
/// A deliberately small HTTP/1.1 server over a listening socket: one request per connection, bounded
/// heads and bodies, a deadline on the head. ASP.NET Core would double the agent's memory and start
/// time for the five endpoints it serves.
/// </summary>
internal sealed class HttpServer(
    Socket listener, Func<HttpExchange, Task> handle, AgentOptions options, TimeProvider time, AgentLog log, Func<HttpRequest, bool>? streamsBody = null)
{
    private int _connections;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.Warn("accept failed: " + e.SocketErrorCode);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (Interlocked.Increment(ref _connections) > options.MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                socket.Dispose();
                continue;
            }
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            HttpReadResult read;
            using (var headDeadline = new CancellationTokenSource(options.RequestHeadTimeout, time))
            {
                try
                {
                    read = await HttpRequestReader.ReadAsync(stream, headDeadline.Token, streamsBody).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    read = HttpReadResult.Fail(408, "the request head did not arrive in time");
                }
            }
            if (read.IsClosed)
                return;
            if (read.Request is not { } request)
            {
                log.Info($"bad request: {read.Status} {read.Error}");
                await HttpResponse.WriteErrorAsync(stream, read.Status, "bad_request", read.Error!, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            await handle(new HttpExchange(stream, request, read.Leftover)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away mid-request; nothing to answer.
        }
        catch (Exception e)
        {
            log.Error("request failed: " + e);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }
}
