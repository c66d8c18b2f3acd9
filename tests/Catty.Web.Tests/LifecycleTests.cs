using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>A session's whole life from a phone: time left and +1 h, then the stopped row's download, log, delete and clear.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LifecycleTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task A_phone_extends_a_session_then_downloads_reads_and_deletes_it_once_stopped()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        var page = dashboard.Page;

        // The session view: time left, +1 h, and the limit's own words when it is reached.
        var left = page.Locator(".status-bar .time-left");
        await Expect(left).ToHaveTextAsync("1h left");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an hour" }).TapAsync();
        await Expect(left).ToHaveTextAsync("2h left");
        var created = await account.Client.GetSessionAsync(session.Label);
        Assert.Equal(created.CreatedAt.AddHours(2), created.ExpiresAt);
        await account.Client.ExtendSessionAsync(session.Label, 6 * 3600 - 120);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an hour" }).TapAsync();
        await Expect(page.Locator(".lifetime-problem")).ToContainTextAsync("A session may run at most 8 h from now");
        await dashboard.ScreenshotAsync("lifetime-limit");

        await dashboard.SwitchToAsync("Terminal");
        await dashboard.RunAsync("echo kept-$((6*7)) > note.txt; echo logged-$((6*7))");
        await dashboard.WaitForScreenAsync("\nlogged-42");
        await account.Client.StopSessionAsync(session.Label);

        // Stopped: no Retry (it cannot succeed), the way back instead.
        await Expect(dashboard.Status).ToHaveTextAsync("Session stopped");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeHiddenAsync();
        await Expect(page.Locator(".status-bar .lifetime")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sessions" }).TapAsync();

        var row = dashboard.Row(session.Label);
        await Expect(row.Locator(".status-word")).ToHaveTextAsync("Stopped by you");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Log of {session.Label}" }).TapAsync();
        var log = page.GetByRole(AriaRole.Dialog, new() { Name = $"Log of {session.Label}" });
        await Expect(log.Locator(".log-text")).ToContainTextAsync("logged-42");
        await dashboard.ScreenshotAsync("stopped-log");
        await log.GetByRole(AriaRole.Button, new() { Name = "Close" }).TapAsync();

        var download = await page.RunAndWaitForDownloadAsync(() =>
            row.GetByRole(AriaRole.Button, new() { Name = $"Download {session.Label} as .tar.gz" }).TapAsync());
        Assert.EndsWith(".tar.gz", download.SuggestedFilename, StringComparison.Ordinal);
        var files = await TarGzFilesAsync(await download.CreateReadStreamAsync());
        Assert.Equal("kept-42\n", files["note.txt"]);

        var delete = row.GetByRole(AriaRole.Button, new() { Name = $"Delete {session.Label}" });
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = $"Delete {session.Label}?" });
        await delete.TapAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).TapAsync();
        await Expect(row).ToBeVisibleAsync();
        await delete.TapAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).TapAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.DoesNotContain(await account.Client.ListSessionsAsync(), s => s.Label == session.Label);
        Assert.Empty(dashboard.Refusals);
    }

    [Fact]
    public async Task The_list_shows_time_left_adds_an_hour_and_clears_all_stopped_sessions_after_asking()
    {
        var account = await shared.NewAccountAsync();
        var running = await account.CreateShellAsync();
        var stopped = new[] { await account.CreateShellAsync(), await account.CreateShellAsync() };
        foreach (var s in stopped)
        {
            await account.Client.StopSessionAsync(s.Label);
        }

        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        var page = dashboard.Page;
        var left = dashboard.Row(running.Label).Locator(".time-left");
        await Expect(left).ToHaveTextAsync("1h left");
        await dashboard.Row(running.Label).GetByRole(AriaRole.Button, new() { Name = $"Add an hour to {running.Label}" }).TapAsync();
        await Expect(left).ToHaveTextAsync("2h left");
        await dashboard.ScreenshotAsync("sessions-lifetime");

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear stopped" }).TapAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Delete 2 stopped sessions?" }).GetByRole(AriaRole.Button, new() { Name = "Delete all" }).TapAsync();

        await Expect(page.Locator(".session-row")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Clear stopped" })).ToBeHiddenAsync();
        Assert.Equal([running.Label], (await account.Client.ListSessionsAsync()).Select(s => s.Label));
        await account.Client.StopSessionAsync(running.Label);
    }

    private static async Task<Dictionary<string, string>> TarGzFilesAsync(Stream archive)
    {
        var files = new Dictionary<string, string>();
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.EntryType == TarEntryType.RegularFile && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data, Encoding.UTF8);
                files[entry.Name] = await reader.ReadToEndAsync();
            }
        }

        return files;
    }
}
