using System.Net.Http.Json;

namespace Catty.Sdk.Api;

/// <summary>A session's lifetime: a later deadline.</summary>
public sealed partial class CattyClient
{
    /// <summary>Moves a running session's auto-stop deadline later by <paramref name="ttlSec"/> seconds: <c>POST /v1/sessions/{id}/extend</c>.</summary>
    public Task<SessionInfo> ExtendSessionAsync(string idOrLabel, int ttlSec, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/extend",
            JsonContent.Create(new ExtendSessionRequest(ttlSec), CattyJson.Default.ExtendSessionRequest), CattyJson.Default.SessionInfo, ct);
}
