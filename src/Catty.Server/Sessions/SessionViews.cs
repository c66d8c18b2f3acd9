using Catty.Sdk.Api;
using Catty.Server.Attention;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.Extensions.Options;

namespace Catty.Server.Sessions;

/// <summary>Session records as the API shows them, with a fresh connect token and the URL to connect to.</summary>
internal sealed class SessionViews(ConnectTokens tokens, AttentionBoard attention, IOptions<CattyOptions> options)
{
    public SessionInfo Info(SessionRecord session, HttpRequest request)
    {
        var (state, since) = session.IsLive() ? attention.Get(session.Id) : (null, null);
        return new(
        session.Id,
        session.Label,
        session.MachineId,
        ConnectUrl(session.Id, request),
        session.IsLive() ? tokens.Issue(session.Id).Token : "",
        session.Region,
        session.Status,
        session.CreatedAt,
        session.MachineState,
        session.Agent,
        session.StopReason,
        session.ExitCode,
        session.ExpiresAt,
        session.StoppedAt,
        session.ResumedFrom,
        state,
        since);
    }

    public CreateSessionResponse Created(SessionRecord session, HttpRequest request)
    {
        var token = tokens.Issue(session.Id).Token;
        return new CreateSessionResponse(
            session.Id,
            session.Label,
            session.MachineId,
            ConnectUrl(session.Id, request),
            token,
            new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });
    }

    /// <summary><c>ws(s)://host/v1/sessions/{id}/connect</c> on the public URL when configured, else on the host the client used.</summary>
    public string ConnectUrl(Guid sessionId, HttpRequest request)
    {
        var path = $"/v1/sessions/{sessionId}/connect";
        if (options.Value.PublicUrl is { Length: > 0 } publicUrl)
        {
            var baseUri = new Uri(publicUrl.TrimEnd('/'));
            var scheme = baseUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
            return $"{scheme}://{baseUri.Authority}{baseUri.AbsolutePath.TrimEnd('/')}{path}";
        }

        return $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}{request.PathBase}{path}";
    }
}
