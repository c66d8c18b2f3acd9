using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Workspaces;

public sealed class UploadTests
{
    [Fact]
    public async Task A_tree_uploads_through_the_server_with_modes_empty_folders_and_a_50_MB_file()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var big = new byte[50 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var zip = WorkspaceZip.Build(
            ("src/", null, 0x1ED),
            ("src/deep/nested/main.py", WorkspaceZip.Text("print('hi')\n"), 0x1A4),
            ("run.sh", WorkspaceZip.Text("#!/bin/sh\necho ran-$((20+1))\n"), 0x1ED),
            ("empty/", null, 0x1ED),
            ("naïve/日本語.txt", WorkspaceZip.Text("ünïcödé\n"), 0x1A4),
            ("big.bin", big, 0x1A4));

        var (status, body) = await WorkspaceZip.PostAsync(session, zip);

        Assert.True(status == 200, $"{status} {body}");
        Assert.Contains("\"files\":4", body, StringComparison.Ordinal);
        var workspace = Path.Combine(server.DataDir.Path, "workspaces", session.MachineId);
        Assert.True(Directory.Exists(Path.Combine(workspace, "empty")));
        Assert.Equal("ünïcödé\n", await File.ReadAllTextAsync(Path.Combine(workspace, "naïve", "日本語.txt")));
        Assert.True(File.GetUnixFileMode(Path.Combine(workspace, "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(workspace, "src/deep/nested/main.py")).HasFlag(UnixFileMode.UserExecute));
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await terminal.SendAsync("cd \"$(ls -d /workspace 2>/dev/null || pwd)\" && ./run.sh && sha256sum big.bin\r");
        await terminal.ReadUntilAsync("ran-21");
        await terminal.ReadUntilAsync(Convert.ToHexStringLower(SHA256.HashData(big)) + "  big.bin");
    }

    [Fact]
    public async Task Hostile_archives_are_refused_and_write_nothing_then_a_good_one_is_taken_once()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var workspace = Path.Combine(server.DataDir.Path, "workspaces", session.MachineId);
        var before = Listing(Path.Combine(server.DataDir.Path, "workspaces"));

        var climbing = await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("ok.txt", [1], 0x1A4), ("../escape.txt", [2], 0x1A4)));
        var absolute = await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("/etc/evil", [1], 0x1A4)));
        var link = await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("link", null, 0x1FF)));
        var garbage = await WorkspaceZip.PostAsync(session, Encoding.ASCII.GetBytes("this is not a zip"));

        Assert.Equal((400, "unsafe_path"), (climbing.Status, ErrorCode(climbing.Body)));
        Assert.Equal((400, "unsafe_path"), (absolute.Status, ErrorCode(absolute.Body)));
        Assert.Equal((400, "unsupported_entry"), (link.Status, ErrorCode(link.Body)));
        Assert.Equal((400, "invalid_zip"), (garbage.Status, ErrorCode(garbage.Body)));
        Assert.Equal(before, Listing(Path.Combine(server.DataDir.Path, "workspaces")));

        var good = await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4)));
        var second = await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("b.txt", WorkspaceZip.Text("b"), 0x1A4)));

        Assert.Equal(200, good.Status);
        Assert.Equal((409, "already_uploaded"), (second.Status, ErrorCode(second.Body)));
        Assert.True(File.Exists(Path.Combine(workspace, "a.txt")));
        Assert.False(File.Exists(Path.Combine(workspace, "b.txt")));
    }

    [Fact]
    public async Task Wrong_token_is_401_deleted_session_404_and_over_100_MB_413_before_reading()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var other = await server.CreateShellAsync();
        var zip = WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4));

        var wrong = await WorkspaceZip.PostAsync(session, zip, token: other.ConnectToken);
        var none = await WorkspaceZip.PostAsync(session, zip, token: "nope");
        var tooLarge = await DeclareLengthAsync(session, 100L * 1024 * 1024 + 1);
        await server.Client.StopSessionAsync(other.Label, delete: true);
        var deleted = await WorkspaceZip.PostAsync(other, zip);

        Assert.Equal(401, wrong.Status);
        Assert.Equal(401, none.Status);
        Assert.StartsWith("HTTP/1.1 413", tooLarge, StringComparison.Ordinal);
        Assert.Contains("upload_too_large", tooLarge, StringComparison.Ordinal);
        Assert.Equal((404, "not_found"), (deleted.Status, ErrorCode(deleted.Body)));
        Assert.Equal(200, (await WorkspaceZip.PostAsync(session, zip)).Status);
    }

    /// <summary>Sends only a head that announces <paramref name="length"/> bytes and reads the answer.</summary>
    private static async Task<string> DeclareLengthAsync(Catty.Sdk.Api.CreateSessionResponse session, long length)
    {
        var url = WorkspaceZip.UploadUrl(session);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {session.ConnectToken}\r\n"
            + $"Content-Type: application/zip\r\nContent-Length: {length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().Contains("}", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, deadline.Token);
            if (n == 0)
                break;
            answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return answer.ToString();
    }

    private static string? ErrorCode(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.TryGetProperty("error", out var e) ? e.GetString() : body;

    private static List<string> Listing(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
