using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>"/": the list of sessions, refreshing and stopping.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionsPageTests(Browsers browsers, SharedServer shared)
{
    [Theory]
    [InlineData(Device.Phone)]
    [InlineData(Device.Desktop)]
    public async Task Running_sessions_come_first_with_a_green_dot_and_stopped_ones_offer_their_download(Device device)
    {
        var account = await shared.NewAccountAsync();
        var stopped = await account.CreateShellAsync();
        await account.Client.StopSessionAsync(stopped.Label);
        var running = await account.CreateShellAsync();
        var region = (await account.Client.ListRegionsAsync()).Single();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, device);

        var rows = dashboard.Page.Locator(".session-row");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal([running.Label, stopped.Label], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.label)"));
        var live = dashboard.Row(running.Label);
        await Expect(live.Locator(".dot.running")).ToBeVisibleAsync();
        await Expect(live.Locator(".region")).ToHaveTextAsync(region.Name);
        await Expect(live.Locator(".age")).ToHaveTextAsync("just now");
        await Expect(live.GetByRole(AriaRole.Button, new() { Name = $"Stop {running.Label}" })).ToBeVisibleAsync();
        var ended = dashboard.Row(stopped.Label);
        await Expect(ended.Locator(".dot.stopped")).ToBeVisibleAsync();
        await Expect(ended.Locator(".status-word")).ToHaveTextAsync("Stopped by you");
        await Expect(ended.Locator(".download code")).ToHaveTextAsync($"catty download {stopped.Label}");
        await dashboard.ScreenshotAsync("sessions");

        await ended.GetByRole(AriaRole.Button, new() { Name = $"Copy “catty download {stopped.Label}”" }).ClickAsync();
        Assert.Equal($"catty download {stopped.Label}", await dashboard.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
    }

    [Fact]
    public async Task With_no_sessions_the_page_says_how_to_start_one()
    {
        await using var dashboard = await Dashboard.OpenAsync(browsers, await shared.NewAccountAsync(), Device.Phone);

        await Expect(dashboard.Page.Locator(".empty")).ToContainTextAsync("No sessions yet.");
        await Expect(dashboard.Page.Locator(".empty")).ToContainTextAsync("+ New Session");
        await Expect(dashboard.Page.Locator(".empty")).ToContainTextAsync("catty new");
        await dashboard.ScreenshotAsync("sessions-empty");
    }

    [Fact]
    public async Task The_refresh_button_shows_a_session_started_elsewhere()
    {
        var account = await shared.NewAccountAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, fakeClock: true);
        await Expect(dashboard.Page.Locator(".empty")).ToBeVisibleAsync();

        // With the page's clock held, only the button can refresh the list.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(await dashboard.Page.EvaluateAsync<long>("() => Date.now()"));
        await dashboard.Page.Clock.PauseAtAsync(now.AddSeconds(1).UtcDateTime);
        var session = await account.CreateShellAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();

        await Expect(dashboard.Row(session.Label)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_list_refreshes_itself_every_30_seconds()
    {
        var account = await shared.NewAccountAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, fakeClock: true);
        await Expect(dashboard.Page.Locator(".empty")).ToBeVisibleAsync();

        var session = await account.CreateShellAsync();
        await dashboard.Page.Clock.FastForwardAsync("00:31");
        await Expect(dashboard.Row(session.Label)).ToBeVisibleAsync();

        await account.Client.StopSessionAsync(session.Label);
        await dashboard.Page.Clock.FastForwardAsync("00:31");
        await Expect(dashboard.Row(session.Label)).ToHaveAttributeAsync("data-status", "stopped");
    }

    [Fact]
    public async Task Ages_stay_current_as_time_passes()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, fakeClock: true);
        var age = dashboard.Row(session.Label).Locator(".age");
        await Expect(age).ToHaveTextAsync("just now");

        await dashboard.Page.Clock.FastForwardAsync("05:00");
        await Expect(age).ToHaveTextAsync("5m ago");
        await dashboard.Page.Clock.FastForwardAsync("02:00:00");
        await Expect(age).ToHaveTextAsync("2h ago");
    }

    [Fact]
    public async Task Stop_asks_first_and_then_moves_the_row_to_stopped()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        var stop = dashboard.Row(session.Label).GetByRole(AriaRole.Button, new() { Name = $"Stop {session.Label}" });
        var dialog = dashboard.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Stop {session.Label}?" });

        await stop.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("stop-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal("running", (await account.Client.GetSessionAsync(session.Label)).Status);

        await stop.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stop session" }).ClickAsync();

        await Expect(dashboard.Row(session.Label)).ToHaveAttributeAsync("data-status", "stopped");
        await Expect(dashboard.Row(session.Label).Locator(".dot.stopped")).ToBeVisibleAsync();
        Assert.Equal("stopped", (await account.Client.GetSessionAsync(session.Label)).Status);
        Assert.Empty(dashboard.Refusals);
    }
}
