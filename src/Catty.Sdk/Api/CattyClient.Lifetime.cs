using System.Net.Http.Json;

namespace Catty.Sdk.Api;

/// <summary>A session's lifetime: a later deadline, a new start from its snapshot.</summary>
public sealed partial class CattyClient
{
    /// <summary>Moves a running session's auto-stop deadline later by <paramref name="ttlSec"/> seconds: <c>POST /v1/sessions/{id}/extend</c>.</summary>
    public Task<SessionInfo> ExtendSessionAsync(string idOrLabel, int ttlSec, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/extend",
            JsonContent.Create(new ExtendSessionRequest(ttlSec), CattyJson.Default.ExtendSessionRequest), CattyJson.Default.SessionInfo, ct);

    /// <summary>Starts a stopped session again in a new machine from its newest snapshot: <c>POST /v1/sessions/{id}/resume</c>; answers the new session.</summary>
    public Task<SessionInfo> ResumeSessionAsync(string idOrLabel, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/resume", null, CattyJson.Default.SessionInfo, ct);
}
