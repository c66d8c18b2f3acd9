using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Catty.Web.Tests.Infrastructure;

namespace Catty.Web.Tests;

/// <summary>What catty-server serves of the dashboard, seen over plain HTTP.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaticFilesTests(SharedServer shared)
{
    [Fact]
    public async Task The_manifest_makes_an_installable_app_with_real_icons()
    {
        using var http = shared.Server.Anonymous();

        using var response = await http.GetAsync("manifest.webmanifest");
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = manifest.RootElement;
        Assert.Equal("Catty", root.GetProperty("name").GetString());
        Assert.Equal("standalone", root.GetProperty("display").GetString());
        Assert.Equal("#0a0a0f", root.GetProperty("theme_color").GetString());
        Assert.Equal("/", root.GetProperty("start_url").GetString());

        var sizes = new List<string>();
        foreach (var icon in root.GetProperty("icons").EnumerateArray())
        {
            var bytes = await http.GetByteArrayAsync(icon.GetProperty("src").GetString()!.TrimStart('/'));
            if (icon.GetProperty("type").GetString() == "image/png")
            {
                var (width, height) = PngSize(bytes);
                Assert.Equal(icon.GetProperty("sizes").GetString(), $"{width}x{height}");
                sizes.Add($"{width}x{height}");
            }
        }

        Assert.Contains("192x192", sizes);
        Assert.Contains("512x512", sizes);
        var page = await http.GetStringAsync("/");
        Assert.Contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">", page, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"theme-color\" content=\"#0a0a0f\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_are_the_same_shell_with_the_configured_refresh_and_a_strict_policy()
    {
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string> { ["Catty:Dashboard:RefreshInterval"] = "00:00:07" });
        using var http = server.Anonymous();

        foreach (var path in new[] { "/", "/sessions/brave-tiger-1234" })
        {
            using var response = await http.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("<meta name=\"catty-refresh-seconds\" content=\"7\">", html, StringComparison.Ordinal);
            Assert.Contains("/assets/app.js", html, StringComparison.Ordinal);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Scripts_are_compressed_and_only_hashed_chunks_are_cached_for_good()
    {
        using var http = shared.Server.Anonymous(decompress: false);
        var chunk = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "dashboard", "assets", "chunks"), "session-view-*.js").First();

        using var app = await GetAsync(http, "assets/app.js");
        using var hashed = await GetAsync(http, "assets/chunks/" + Path.GetFileName(chunk));
        using var missing = await GetAsync(http, "assets/nope.js");

        Assert.Equal("gzip", app.Content.Headers.ContentEncoding.Single());
        Assert.Equal("no-cache", app.Headers.CacheControl?.ToString());
        Assert.Contains("immutable", hashed.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        await using var unzipped = new GZipStream(await hashed.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(unzipped);
        Assert.Equal(await File.ReadAllTextAsync(chunk), await reader.ReadToEndAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("\"error\":\"not_found\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_dashboard_build_the_server_says_so_and_serves_the_api()
    {
        var empty = Directory.CreateTempSubdirectory("cty-noweb-");
        try
        {
            await using var server = await DashboardServer.StartAsync(new Dictionary<string, string> { ["Catty:Dashboard:Dir"] = empty.FullName });
            using var http = server.Anonymous();

            var page = await http.GetStringAsync("/");
            using var script = await http.GetAsync("assets/app.js");

            Assert.Contains("The dashboard is not built into this server", page, StringComparison.Ordinal);
            Assert.Contains("make dev", page, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
            Assert.Empty(await server.Client.ListSessionsAsync());
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        return http.SendAsync(request);
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
