using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Tests.Control;

/// <summary>The workspace routes the control plane pulls snapshots through, and the streamed upload.</summary>
public sealed class WorkspaceEndpointTests
{
    [Fact]
    public async Task The_manifest_names_each_file_by_hash_and_the_blobs_route_serves_exactly_those_contents()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Tcp = true, Token = "t0ken", WorkspaceFiles = { ["a.txt"] = "hello", ["b.txt"] = "" } });
        using var anonymous = new HttpClient { BaseAddress = agent.BaseUri("http") };

        var manifest = await agent.Http.GetFromJsonAsync("snapshot/manifest", CattyJson.Default.WorkspaceManifestDto);
        var a = Assert.Single(manifest!.Entries, e => e.Path == "a.txt");
        var b = Assert.Single(manifest.Entries, e => e.Path == "b.txt");
        var frames = await PostBlobsAsync(agent.Http, a.Sha256!, new string('0', 64), b.Sha256!, a.Sha256!);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello"u8)), a.Sha256);
        Assert.Null(manifest.Base);
        Assert.Null(manifest.Removed);
        Assert.Equal((2, 5L), (manifest.Files, manifest.Bytes));
        Assert.Equal(["hello", null, "", "hello"], frames);
    }

    [Fact]
    public async Task The_blobs_route_refuses_anything_but_a_list_of_hashes()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Tcp = true, Token = "t0ken" });
        using var anonymous = new HttpClient { BaseAddress = agent.BaseUri("http") };
        var sha = new string('a', 64);

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(agent.Http, "")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(agent.Http, sha.ToUpperInvariant())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(agent.Http, "../../etc/passwd")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(agent.Http, string.Join('\n', Enumerable.Repeat(sha, BlobFrames.MaxPerRequest + 1)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(agent.Http, string.Join('\n', Enumerable.Repeat(sha, BlobFrames.MaxPerRequest)))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await agent.Http.GetAsync("snapshot/blobs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.GetAsync("snapshot/blob/" + sha)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("snapshot/manifest")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(anonymous, sha)).StatusCode);
    }

    [Fact]
    public async Task The_manifest_is_the_change_since_a_base_the_agent_holds_and_empty_for_a_workspace_the_asker_has()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Tcp = true,
            WorkspaceFiles = { ["keep.txt"] = "keep", ["edit.txt"] = "old", ["gone.txt"] = "gone", ["old-name.txt"] = "moved", ["run.sh"] = "echo", ["was-file"] = "x" },
        });
        var whole = await ManifestAsync(agent, "");
        var same = await ManifestAsync(agent, $"?base={whole.Digest}&have={whole.Digest}");

        File.WriteAllText(Path.Combine(agent.Workspace, "edit.txt"), "new content");
        File.Delete(Path.Combine(agent.Workspace, "gone.txt"));
        File.Move(Path.Combine(agent.Workspace, "old-name.txt"), Path.Combine(agent.Workspace, "new-name.txt"));
        File.SetUnixFileMode(Path.Combine(agent.Workspace, "run.sh"), (UnixFileMode)0x1ED);
        File.Delete(Path.Combine(agent.Workspace, "was-file"));
        Directory.CreateDirectory(Path.Combine(agent.Workspace, "was-file"));
        File.WriteAllText(Path.Combine(agent.Workspace, "was-file", "inside.txt"), "inside");
        var other = new string('f', 64);
        var change = await ManifestAsync(agent, $"?base={whole.Digest}&have={whole.Digest}");
        var again = await ManifestAsync(agent, $"?base={whole.Digest}&have={other}");
        var now = await ManifestAsync(agent, $"?base={other}");

        Assert.Equal((whole.Digest, 0, 0), (same.Base, same.Entries.Count, same.Removed!.Count));
        Assert.Equal(whole.Digest, same.Digest);
        Assert.Equal(whole.Digest, change.Base);
        Assert.Equal(["edit.txt", "new-name.txt", "run.sh", "was-file", "was-file/inside.txt"], change.Entries.Select(e => e.Path));
        Assert.Equal(["gone.txt", "old-name.txt"], change.Removed);
        Assert.Equal((change.Base, change.Digest), (again.Base, again.Digest));
        Assert.Equal(change.Entries, again.Entries);
        Assert.Equal(change.Removed, again.Removed);
        Assert.Null(now.Base);
        Assert.Equal(now.Entries, ManifestDelta.Apply(whole.Entries, change.Entries, change.Removed!));
        Assert.Equal(change.Digest, ManifestDigest.Compute(now.Entries));
        Assert.Equal((5, 30L), (change.Files, change.Bytes));
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.Http.GetAsync("snapshot/manifest?base=nope")).StatusCode);
    }

    [Fact]
    public async Task The_upload_takes_a_zip_with_a_length_and_refuses_other_bodies_clearly()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Tcp = true, Token = "t0ken" });

        using var chunked = new StreamContent(new MemoryStream(Zip("x.txt", "x")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var noLength = await agent.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "upload") { Content = chunked, Headers = { TransferEncodingChunked = true } });
        var wrongType = await agent.Http.PostAsync("upload", new ByteArrayContent(Zip("x.txt", "x")) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } });
        var ok = await agent.Http.PostAsync("upload", new ByteArrayContent(Zip("x.txt", "x")) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } });

        Assert.Equal(HttpStatusCode.LengthRequired, noLength.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, (await ok.Content.ReadFromJsonAsync(CattyJson.Default.AgentUploadResult))!.Files);
        Assert.Equal("x", await File.ReadAllTextAsync(Path.Combine(agent.Workspace, "x.txt")));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await agent.Http.GetAsync("upload")).StatusCode);
    }

    private static async Task<WorkspaceManifestDto> ManifestAsync(AgentProcess agent, string query) =>
        (await agent.Http.GetFromJsonAsync("snapshot/manifest" + query, CattyJson.Default.WorkspaceManifestDto))!;

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body) =>
        http.PostAsync("snapshot/blobs", new StringContent(body, Encoding.ASCII, "text/plain"));

    /// <summary>The contents the blobs route sends, in order; null for a content it no longer has.</summary>
    private static async Task<List<string?>> PostBlobsAsync(HttpClient http, params string[] sha256s)
    {
        using var response = await PostAsync(http, BlobFrames.RequestBody(sha256s));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var contents = new List<string?>();
        var header = new byte[BlobFrames.HeaderBytes];
        foreach (var _ in sha256s)
        {
            body.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt64BigEndian(header);
            var content = length == BlobFrames.Missing ? null : new byte[length];
            if (content is not null)
            {
                body.ReadExactly(content);
            }

            contents.Add(content is null ? null : Encoding.UTF8.GetString(content));
        }

        Assert.Equal(body.Length, body.Position);
        return contents;
    }

    private static byte[] Zip(string name, string content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        return buffer.ToArray();
    }
}
