using System.Text;
using System.Text.Json;
using Catty.Agent.Http;
using Catty.Agent.Snapshots;
using Catty.Agent.Workspace;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Control;

/// <summary>
/// The workspace routes: <c>POST /upload</c> (the one zip upload, streamed off the connection),
/// <c>GET /snapshot/manifest</c> and <c>POST /snapshot/blobs</c>, through which the control plane
/// pulls snapshots; the session itself never holds storage credentials.
/// </summary>
/// <param name="uploaded">Called once an upload has been extracted into the workspace.</param>
internal sealed class WorkspaceEndpoints(string workspaceDir, string stateDir, TimeProvider time, Action uploaded) : IDisposable
{
    public const string UploadPath = "/upload";
    public const string ManifestPath = "/snapshot/manifest";
    public const string BlobsPath = "/snapshot/blobs";

    // Staging sits in the state folder: the workspace's parent belongs to the host, not to the session's uid.
    private readonly ZipUploadExtractor _extractor = new(new UploadLimits(), stateDir);
    private readonly WorkspaceManifestBuilder _builder = new(workspaceDir, time, keepGit: true);
    private readonly ManifestAnswers _answers = new();

    /// <summary>Whether the request's body is left on the connection for the handler (only the upload).</summary>
    public static bool StreamsBody(HttpRequest request) => request.Method == "POST" && request.Path == UploadPath;

    public string MarkerPath => Path.Combine(stateDir, "upload.marker");

    public async Task UploadAsync(HttpExchange exchange)
    {
        var (stream, request, leftover) = exchange;
        var length = request.StreamedLength ?? 0;
        var contentType = request.Header("Content-Type");
        if (contentType is not null && !contentType.StartsWith("application/zip", StringComparison.OrdinalIgnoreCase))
        {
            await HttpResponse.WriteErrorAsync(stream, 415, "unsupported_media_type", "the upload must be application/zip", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var body = new ContentLengthStream(leftover.IsEmpty ? stream : new PrefixedStream(leftover, stream), length);
        UploadResult result;
        try
        {
            result = await _extractor.ExtractAsync(body, length, workspaceDir, MarkerPath, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            // The client hung up mid-body; the extractor refused nothing and wrote nothing, and nobody hears an answer.
            return;
        }

        switch (result)
        {
            case UploadResult.Ok ok:
                uploaded();
                var json = JsonSerializer.SerializeToUtf8Bytes(new AgentUploadResult(ok.Files, ok.Directories, ok.Bytes), CattyJson.Default.AgentUploadResult);
                await HttpResponse.WriteJsonAsync(stream, 200, json, CancellationToken.None).ConfigureAwait(false);
                break;
            case UploadResult.Refused refused:
                await HttpResponse.WriteErrorAsync(stream, refused.StatusCode, refused.Error, refused.Message, CancellationToken.None).ConfigureAwait(false);
                await DrainAsync(body).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Reads what is left of a refused body before the connection closes: closing with unread bytes makes the
    /// kernel reset the connection, and the sender may then lose the answer it has not read yet.
    /// </summary>
    private async Task DrainAsync(ContentLengthStream body)
    {
        if (body.Length > new UploadLimits().MaxCompressedBytes + (1 << 20))
            return;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await body.ReadAsync(buffer, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The sender gave up first; nothing is left to protect.
        }
    }

    public async Task ManifestAsync(Stream stream, HttpRequest request)
    {
        if (!TryDigestParameter(request.Query, "base", out var baseDigest) || !TryDigestParameter(request.Query, "have", out var haveDigest))
        {
            await HttpResponse.WriteErrorAsync(stream, 400, "bad_request", "base and have must be manifest digests (64 lowercase hex digits)", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // Hashing can read the whole workspace; it runs off the connection's thread, one scan at a time.
        var answer = await Task.Run(() => _answers.Answer(_builder.Build(CancellationToken.None), baseDigest, haveDigest)).ConfigureAwait(false);
        var json = JsonSerializer.SerializeToUtf8Bytes(answer, CattyJson.Default.WorkspaceManifestDto);
        await HttpResponse.WriteJsonAsync(stream, 200, json, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task BlobsAsync(Stream stream, HttpRequest request)
    {
        if (ParseHashes(request.Body) is not { } hashes)
        {
            await HttpResponse.WriteErrorAsync(stream, 400, "bad_request",
                $"the body must list 1 to {BlobFrames.MaxPerRequest} SHA-256s (64 lowercase hex digits), one per line", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await HttpResponse.WriteHeadAsync(stream, 200, "application/octet-stream", CancellationToken.None).ConfigureAwait(false);
        await BlobFrameWriter.WriteAsync(stream, hashes, _builder).ConfigureAwait(false);
    }

    /// <summary>An absent parameter is fine (null); a present one must be a digest.</summary>
    private static bool TryDigestParameter(string query, string name, out string? digest)
    {
        digest = null;
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || part[..eq] != name)
                continue;
            digest = part[(eq + 1)..];
            return IsSha256(digest);
        }
        return true;
    }

    private static List<string>? ParseHashes(byte[] body)
    {
        var lines = Encoding.ASCII.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length is 0 or > BlobFrames.MaxPerRequest)
            return null;
        foreach (var line in lines)
        {
            if (!IsSha256(line))
                return null;
        }
        return [.. lines];
    }

    private static bool IsSha256(string value) =>
        value.Length == 64 && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    public void Dispose() => _builder.Dispose();
}
