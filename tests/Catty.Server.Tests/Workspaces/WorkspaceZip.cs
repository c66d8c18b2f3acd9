using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Catty.Sdk.Api;

namespace Catty.Server.Tests.Workspaces;

/// <summary>Builds upload archives (with Unix modes) and posts them to a session's upload URL.</summary>
internal static class WorkspaceZip
{
    public static byte[] Build(params (string Name, byte[]? Content, int Mode)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = zip.CreateEntry(name, content is { Length: > 1 << 20 } ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                var kind = name.EndsWith('/') ? 0x4000 : content is null ? 0xA000 : 0x8000;
                entry.ExternalAttributes = (kind | mode) << 16;
                using var stream = entry.Open();
                stream.Write(content ?? []);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    public static Uri UploadUrl(CreateSessionResponse session)
    {
        var url = new UriBuilder(session.ConnectUrl);
        url.Scheme = url.Scheme == "wss" ? "https" : "http";
        url.Path = url.Path[..^"/connect".Length] + "/upload";
        return url.Uri;
    }

    public static async Task<(int Status, string Body)> PostAsync(CreateSessionResponse session, byte[] zip, string? token = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadUrl(session)) { Content = new ByteArrayContent(zip) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? session.ConnectToken);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
