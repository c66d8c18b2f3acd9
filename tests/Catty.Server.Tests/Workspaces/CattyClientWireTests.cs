using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Workspaces;

/// <summary>
/// Catty's own CLI (0.5.13), unchanged, against a server with default settings: the exact requests it makes,
/// as DESIGN.md's wire contract describes them, sent byte for byte rather than through our SDK. Its package
/// is not served by the registries here, so its requests are replayed: create with <c>region: "iad"</c>, the
/// zip upload with the create answer's headers, the terminal socket with sync-back, the download it unpacks
/// with plain <c>tar -xzf</c>.
/// </summary>
public sealed class CattyClientWireTests
{
    [Fact]
    public async Task Catty_cli_requests_create_upload_drive_and_download_a_session_on_a_default_server()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            // claude itself is not installed in this suite; a stand-in in its place prints the arguments it got.
            s.Settings["Catty:Agents:Available:claude:Command:0"] = "/bin/sh";
            s.Settings["Catty:Agents:Available:claude:Command:1"] = "-c";
            s.Settings["Catty:Agents:Available:claude:Command:2"] = "echo \"claude stand-in: $*\"; exec /bin/bash --norc -i";
            s.Settings["Catty:Agents:Available:claude:Command:3"] = "claude";
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
        });
        using var api = new HttpClient { BaseAddress = server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CattyTestServer.OwnerToken);

        // POST /v1/sessions as `catty new` sends it.
        using var created = await api.PostAsync("v1/sessions", Json("""
            {"agent":"claude","cmd":["claude-wrapper","--dangerously-skip-permissions"],"region":"iad","ttl_sec":7200,"secrets":{"CATTY_WIRE_SECRET":"wire-value"}}
            """));
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.OK, createdBody);
        var session = JsonNode.Parse(createdBody)!.AsObject();
        var label = (string)session["label"]!;
        var connectUrl = (string)session["connect_url"]!;
        var connectToken = (string)session["connect_token"]!;
        var headers = session["headers"]!.AsObject().ToDictionary(h => h.Key, h => (string)h.Value!);
        Assert.Matches("^ws://.+/connect$", connectUrl);
        Assert.False(string.IsNullOrEmpty((string?)session["session_id"]));
        Assert.False(string.IsNullOrEmpty((string?)session["machine_id"]));

        // The upload: connect_url with ws→http and /connect→/upload, the zip, the connect token and the headers.
        using (var upload = new HttpRequestMessage(HttpMethod.Post, "http" + connectUrl[2..^"/connect".Length] + "/upload"))
        {
            upload.Content = new ByteArrayContent(WorkspaceZip.Build(("src/app.ts", WorkspaceZip.Text("export const answer = 42;\n"), 0x1A4)));
            upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            // The create answer's headers carry the connect token as Bearer; Catty's CLI sends them as they are.
            foreach (var (name, value) in headers)
            {
                upload.Headers.TryAddWithoutValidation(name, value);
            }

            Assert.Equal("Bearer " + connectToken, upload.Headers.Authorization?.ToString());

            using var plain = new HttpClient();
            using var uploaded = await plain.SendAsync(upload);
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        }

        // The terminal socket: Bearer connect token plus the headers; resize and sync_back first, as Catty's CLI does.
        var socketHeaders = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        await using (var terminal = await TerminalClient.ConnectAsync(connectUrl, socketHeaders))
        {
            await terminal.SendControlAsync("""{"type":"resize","cols":120,"rows":40}""");
            await terminal.SendControlAsync("""{"type":"sync_back","enabled":true}""");
            await terminal.ReadUntilAsync("claude stand-in: --dangerously-skip-permissions");
            await terminal.WaitForControlAsync("sync_back_ack");
            Assert.Contains(terminal.Controls, c => c.Contains("\"workspace_dir\":\"/workspace\"", StringComparison.Ordinal));
            await terminal.SendAsync("printf '%s|%s\\n' \"$CATTY_WIRE_SECRET\" \"$(cat src/app.ts)\" | tr a-z A-Z\r");
            await terminal.ReadUntilAsync("WIRE-VALUE|EXPORT CONST ANSWER = 42;");
            await terminal.SendControlAsync("""{"type":"ping"}""");
            await terminal.WaitForControlAsync("pong");
        }

        var info = JsonNode.Parse(await api.GetStringAsync($"v1/sessions/{label}"))!;
        Assert.Equal("local", (string?)info["region"]);

        // `catty stop`, then `catty download`: the link with no credentials, unpacked by tar.
        using (var stop = await api.PostAsync($"v1/sessions/{label}/stop", null))
        {
            Assert.True(stop.IsSuccessStatusCode);
        }

        await server.WaitForEndAsync(Guid.Parse((string)session["session_id"]!), "the stop");
        var download = JsonNode.Parse(await api.GetStringAsync($"v1/sessions/{label}/download"))!;
        using var extracted = new TestDataDir();
        await TarExtractAsync((string)download["download_url"]!, (long)download["size_bytes"]!, extracted.Path);
        Assert.Equal("export const answer = 42;\n", await File.ReadAllTextAsync(Path.Combine(extracted.Path, "src/app.ts")));
    }

    [Fact]
    public async Task An_empty_workspace_downloads_as_a_tar_gz_that_plain_tar_unpacks()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00");
        var session = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(session.Label);
        await server.WaitForEndAsync(session.SessionId, "the stop");
        using var api = new HttpClient { BaseAddress = server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CattyTestServer.OwnerToken);

        var download = JsonNode.Parse(await api.GetStringAsync($"v1/sessions/{session.Label}/download"))!;
        using var extracted = new TestDataDir();
        await TarExtractAsync((string)download["download_url"]!, (long)download["size_bytes"]!, extracted.Path);

        Assert.Empty(Directory.EnumerateFileSystemEntries(extracted.Path));
    }

    private static StringContent Json(string json) => new(json.Trim(), Encoding.UTF8, "application/json");

    private static async Task TarExtractAsync(string url, long size, string into)
    {
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(url);
        Assert.Equal(size, bytes.Length);
        var archive = into + ".tar.gz";
        await File.WriteAllBytesAsync(archive, bytes);
        using var tar = Process.Start(new ProcessStartInfo("tar", ["-xzf", archive, "-C", into]) { RedirectStandardError = true })!;
        var errors = await tar.StandardError.ReadToEndAsync();
        await tar.WaitForExitAsync();
        File.Delete(archive);
        Assert.True(tar.ExitCode == 0, errors);
    }
}
