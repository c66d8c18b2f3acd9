using System.Net;
using System.Net.Sockets;

namespace Catty.Agent.Http;

/// <summary>Where the agent listens: <c>unix:/path/agent.sock</c> or <c>tcp:127.0.0.1:PORT</c> (port 0 picks one).</summary>
internal sealed record ListenAddress(string? UnixPath, IPEndPoint? Tcp)
{
    public static ListenAddress? Parse(string text, out string? error)
    {
        error = null;
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text["unix:".Length..];
            if (path.Length == 0 || !Path.IsPathRooted(path))
            {
                error = "unix: needs an absolute socket path";
                return null;
            }
            return new ListenAddress(path, null);
        }
        if (text.StartsWith("tcp:", StringComparison.Ordinal) && IPEndPoint.TryParse(text["tcp:".Length..], out var endpoint))
            return new ListenAddress(null, endpoint);
        error = $"--listen must be unix:PATH or tcp:IP:PORT, not '{text}'";
        return null;
    }

    /// <summary>
    /// Binds and listens. A Unix socket file is made 0600 between bind and listen, so no other user
    /// can ever connect to it; a stale file from a previous agent is replaced.
    /// </summary>
    public (Socket Socket, string Bound) BindAndListen(int backlog = 64)
    {
        if (UnixPath is { } path)
        {
            if (File.Exists(path))
                File.Delete(path);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                socket.Listen(backlog);
                return (socket, "unix:" + path);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        var tcp = new Socket(Tcp!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            tcp.Bind(Tcp);
            tcp.Listen(backlog);
            var actual = (IPEndPoint)tcp.LocalEndPoint!;
            return (tcp, "tcp:" + actual);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }
}
