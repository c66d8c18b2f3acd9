using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>The status bar's states and reasons, each caused for real, and when the dashboard reconnects by itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task Another_client_replaces_the_connection_which_stays_down_until_Retry()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var first = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}", fakeClock: true);
        await first.WaitConnectedAsync();

        await using var second = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await second.WaitConnectedAsync();

        await Expect(first.Status).ToHaveTextAsync("Connection replaced by another client");
        await Expect(first.Page.Locator(".status-bar")).ToHaveAttributeAsync("data-state", "disconnected");
        await first.ScreenshotAsync("status-replaced");
        await first.Page.Clock.FastForwardAsync("10:00");
        await Expect(first.Status).ToHaveTextAsync("Connection replaced by another client");
        Assert.Single(first.Sockets);

        await first.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await first.WaitConnectedAsync();
        await Expect(second.Status).ToHaveTextAsync("Connection replaced by another client");
    }

    [Fact]
    public async Task Stopping_the_session_elsewhere_says_Session_stopped()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        await account.Client.StopSessionAsync(session.Label);

        await Expect(dashboard.Status).ToHaveTextAsync("Session stopped");
        await Expect(dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Sessions" })).ToBeVisibleAsync();
        await Expect(dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_deleted_session_says_so_and_offers_the_way_back_instead_of_Retry()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await account.Client.StopSessionAsync(session.Label, delete: true);

        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");

        await Expect(dashboard.Status).ToHaveTextAsync($"No session named {session.Label}: it may have been deleted.");
        await Expect(dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeHiddenAsync();
        await Expect(dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeHiddenAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Sessions" }).TapAsync();
        await Expect(dashboard.Page.Locator(".empty")).ToBeVisibleAsync();
        Assert.Empty(dashboard.Sockets);
    }

    [Fact]
    public async Task Opening_a_stopped_session_says_Session_stopped()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await account.Client.StopSessionAsync(session.Label);

        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");

        await Expect(dashboard.Status).ToHaveTextAsync("Session stopped");
        Assert.Empty(dashboard.Sockets);
    }

    [Fact]
    public async Task Exiting_the_shell_shows_its_exit_code()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        await dashboard.RunAsync("exit 3");

        await Expect(dashboard.Status).ToHaveTextAsync("Process exited with code 3");
        await Expect(dashboard.Page.Locator(".status-bar")).ToHaveAttributeAsync("data-state", "disconnected");
        await Expect(dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Silence_for_75_seconds_is_a_timeout_after_which_it_reconnects_by_itself()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}", fakeClock: true);
        await dashboard.WaitConnectedAsync();
        await dashboard.RunAsync("echo before-timeout");
        await dashboard.WaitForScreenAsync("\nbefore-timeout");

        await dashboard.Page.Clock.FastForwardAsync("01:16");

        await Expect(dashboard.Status).ToHaveTextAsync("Connection timeout");
        await dashboard.Page.Clock.FastForwardAsync("00:02");
        await dashboard.WaitConnectedAsync();
        Assert.Equal(2, dashboard.Sockets.Count);
        await dashboard.RunAsync("echo after-timeout");
        await dashboard.WaitForScreenAsync("\nafter-timeout");
    }

    [Fact]
    public async Task A_lost_network_reconnects_by_itself_and_redraws_the_screen_once()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        await dashboard.RunAsync("echo drawn-$((1+2))");
        await dashboard.WaitForScreenAsync("\ndrawn-3");

        await dashboard.Context.SetOfflineAsync(true);
        await Expect(dashboard.Status).ToHaveTextAsync("Network connection lost");
        await dashboard.Context.SetOfflineAsync(false);

        await dashboard.WaitConnectedAsync();
        Assert.Equal(2, dashboard.Sockets.Count);
        var screen = await dashboard.WaitForScreenAsync("\ndrawn-3");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(screen, "^drawn-3$", System.Text.RegularExpressions.RegexOptions.Multiline));
        await dashboard.RunAsync("echo still-here");
        await dashboard.WaitForScreenAsync("\nstill-here");
    }
}
