using Catty.Cli.Auth;
using Catty.Sdk.Api;

namespace Catty.Cli.Commands;

/// <summary>
/// The HTTP side of one command: the typed API client with the stored credentials (renewed once on a 401),
/// the same client without credentials (device sign-in, renewal), and a plain client without a timeout for
/// requests that carry their own authorization and may be long (workspace uploads with the session's connect
/// token, signed download links).
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(60);

    private ServerConnection(Uri server, CattyClient api, CattyClient anonymous, HttpClient plain)
    {
        Server = server;
        Api = api;
        Anonymous = anonymous;
        Plain = plain;
    }

    public Uri Server { get; }

    public CattyClient Api { get; }

    /// <summary>No credentials: the sign-in endpoints.</summary>
    public CattyClient Anonymous { get; }

    /// <summary>No credentials; BaseAddress is the server, timeouts are the caller's (transfers can be long).</summary>
    public HttpClient Plain { get; }

    public static ServerConnection Open(CliContext context)
    {
        var server = context.Server;
        var anonymous = new CattyClient(Client(new SocketsHttpHandler(), server, ApiTimeout));
        var handler = new CredentialsHandler(server, context.Credentials, anonymous) { InnerHandler = new SocketsHttpHandler() };
        return new ServerConnection(server, new CattyClient(Client(handler, server, ApiTimeout)), anonymous, Client(new SocketsHttpHandler(), server, Timeout.InfiniteTimeSpan));
    }

    public void Dispose()
    {
        Api.Http.Dispose();
        Anonymous.Http.Dispose();
        Plain.Dispose();
    }

    private static HttpClient Client(HttpMessageHandler handler, Uri server, TimeSpan timeout)
    {
        var client = new HttpClient(handler) { BaseAddress = server, Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"catty/{VersionInfo.Version}");
        return client;
    }
}
