using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Catty.Sdk.Api;
using Catty.Server.Snapshots;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Workspaces;

public sealed class DownloadTests
{
    private static readonly Action<ServerSetup> NoSchedule = s => s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";

    [Fact]
    public async Task The_download_extracted_by_tar_equals_the_workspace_with_modes_folders_and_links()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        var binary = new byte[3 * 1024 * 1024];
        new Random(11).NextBytes(binary);
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(
            ("src/deep/main.py", WorkspaceZip.Text("print('hi')\n"), 0x1A4),
            ("run.sh", WorkspaceZip.Text("#!/bin/sh\n"), 0x1ED),
            ("private/", null, 0x1C0),
            ("empty/", null, 0x1ED),
            ("naïve/日本語.txt", WorkspaceZip.Text("ünïcödé\n"), 0x180),
            ("data.bin", binary, 0x1A4),
            ("same-as-main.py", WorkspaceZip.Text("print('hi')\n"), 0x1A4)));
        var workspace = SnapshotTests.WorkspaceOf(server, session);
        File.CreateSymbolicLink(Path.Combine(workspace, "link-to-main"), "src/deep/main.py");
        await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None);

        var download = await server.Client.GetDownloadAsync(session.Label);
        using var extracted = new TestDataDir();
        await ExtractAsync(download, extracted.Path);

        Assert.Equal(Describe(workspace), Describe(extracted.Path));
        Assert.Contains("link-to-main -> src/deep/main.py", Describe(extracted.Path));
        Assert.Equal((await server.Client.GetDownloadAsync(session.Label)).SizeBytes, download.SizeBytes);
    }

    [Fact]
    public async Task An_older_snapshot_downloads_by_id_and_the_history_lists_both()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("notes.txt", WorkspaceZip.Text("first"), 0x1A4)));
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        await service.TakeAsync(session.SessionId, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(SnapshotTests.WorkspaceOf(server, session), "notes.txt"), "second, longer");
        await service.TakeAsync(session.SessionId, CancellationToken.None);

        var history = await server.Client.ListSnapshotsAsync(session.Label);
        using var older = new TestDataDir();
        using var newer = new TestDataDir();
        await ExtractAsync(await server.Client.GetDownloadAsync(session.Label, history[0].Id), older.Path);
        await ExtractAsync(await server.Client.GetDownloadAsync(session.Label), newer.Path);

        Assert.Equal([1, 2], history.Select(h => h.Seq));
        Assert.Equal([5L, 14L], history.Select(h => h.SizeBytes));
        Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(older.Path, "notes.txt")));
        Assert.Equal("second, longer", await File.ReadAllTextAsync(Path.Combine(newer.Path, "notes.txt")));
    }

    [Fact]
    public async Task No_snapshot_yet_is_404_no_snapshot_and_a_stopped_session_still_downloads()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();

        var none = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.GetDownloadAsync(session.Label));
        var unknown = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.GetDownloadAsync(session.Label, Guid.NewGuid()));
        Assert.Equal((HttpStatusCode.NotFound, "no_snapshot"), (none.Status, none.Error));
        Assert.Equal((HttpStatusCode.NotFound, "no_snapshot"), (unknown.Status, unknown.Error));

        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("kept.txt", WorkspaceZip.Text("kept"), 0x1A4)));
        await server.Client.StopSessionAsync(session.Label);
        await server.WaitForEndAsync(session.SessionId, "the stop");
        using var extracted = new TestDataDir();
        await ExtractAsync(await server.Client.GetDownloadAsync(session.Label), extracted.Path);
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(extracted.Path, "kept.txt")));
    }

    [Fact]
    public async Task Taking_a_snapshot_through_the_API_stores_one_only_when_something_changed()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4)));

        var first = await server.Client.TakeSnapshotAsync(session.Label);
        var again = await server.Client.TakeSnapshotAsync(session.Label);
        await server.Client.StopSessionAsync(session.Label);
        var stopped = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.TakeSnapshotAsync(session.Label));

        Assert.Equal(("taken", 1, 1), (first.Outcome, first.Snapshot!.Seq, first.Snapshot.FileCount));
        Assert.Equal(("unchanged", 1), (again.Outcome, again.Snapshot!.Seq));
        Assert.Equal((HttpStatusCode.Conflict, "session_not_running"), (stopped.Status, stopped.Error));
    }

    [Fact]
    public async Task Forged_expired_and_foreign_links_are_refused()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            NoSchedule(s);
            s.HandClock();
        });
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4)));
        await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None);
        var url = (await server.Client.GetDownloadAsync(session.Label)).DownloadUrl;
        using var http = new HttpClient();

        var forgedSig = url[..^4] + (url[^4] == 'A' ? "B" : "A") + url[^3..];
        var otherKey = url.Replace("/v1/downloads/downloads/", "/v1/downloads/snapshots/", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(forgedSig)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(otherKey)).StatusCode);
        server.Clock!.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Every_one_character_change_of_a_link_signature_or_expiry_is_403_never_500()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4)));
        await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None);
        var url = (await server.Client.GetDownloadAsync(session.Label)).DownloadUrl;
        var sigAt = url.IndexOf("&sig=", StringComparison.Ordinal) + "&sig=".Length;
        var expiresAt = url.IndexOf("expires=", StringComparison.Ordinal) + "expires=".Length;
        using var http = new HttpClient();
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .Select(c => c.ToString()).Concat(["%2B", "%2F", "%3D", "%20", "%00", "%25", "!", "~", ".", "*", "%C3%A9", "%FF"]).ToList();

        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = sigAt; i < url.Length; i++)
        {
            foreach (var replacement in alphabet.Where(r => r != url[i].ToString()))
            {
                using var response = await http.GetAsync(url[..i] + replacement + url[(i + 1)..]);
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }
        }

        using var leadingZero = await http.GetAsync(url.Insert(expiresAt, "0"));
        Assert.Equal([HttpStatusCode.Forbidden], statuses.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, leadingZero.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
        Assert.DoesNotContain("Exception", server.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_workspace_downloads_as_a_valid_empty_archive()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None);

        var download = await server.Client.GetDownloadAsync(session.Label);
        using var extracted = new TestDataDir();
        await ExtractAsync(download, extracted.Path);

        Assert.True(download.SizeBytes > 0);
        Assert.Empty(Directory.EnumerateFileSystemEntries(extracted.Path));
    }

    /// <summary>Fetches the link with no credentials and unpacks it with the system's tar.</summary>
    internal static async Task ExtractAsync(DownloadResponse download, string into)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(download.DownloadUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(".tar.gz", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        var archive = Path.Combine(into, "..", Path.GetFileName(into) + ".tar.gz");
        await File.WriteAllBytesAsync(archive, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(download.SizeBytes, new FileInfo(archive).Length);
        using var tar = Process.Start(new ProcessStartInfo("tar", ["-xzf", archive, "-C", into]) { RedirectStandardError = true })!;
        var errors = await tar.StandardError.ReadToEndAsync();
        await tar.WaitForExitAsync();
        File.Delete(archive);
        Assert.True(tar.ExitCode == 0, errors);
    }

    /// <summary>Every entry under <paramref name="root"/>: kind, mode, and content hash or link target.</summary>
    internal static List<string> Describe(string root)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var name = Path.GetRelativePath(root, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
                lines.Add($"{name} -> {target}");
            else if (Directory.Exists(path))
                lines.Add($"{name}/ {Convert.ToString((int)File.GetUnixFileMode(path), 8)}");
            else
                lines.Add($"{name} {Convert.ToString((int)File.GetUnixFileMode(path), 8)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
