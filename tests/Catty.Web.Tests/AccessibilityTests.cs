using Catty.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>Labels, roles and focus order that a screen reader and a keyboard can use, checked with axe-core.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task Every_page_passes_axe_at_phone_size()
    {
        var account = await shared.NewAccountAsync();
        var stopped = await account.CreateShellAsync();
        await account.Client.StopSessionAsync(stopped.Label);
        var running = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        await Expect(dashboard.Row(stopped.Label)).ToBeVisibleAsync();

        var problems = new List<string>();
        await CheckAsync(dashboard.Page, "sessions page", problems);
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "+ New Session" }).ClickAsync();
        await Expect(dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Create" })).ToBeEnabledAsync();
        await CheckAsync(dashboard.Page, "new session", problems);
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await dashboard.OpenSessionAsync(running.Label);
        await CheckAsync(dashboard.Page, "chat mode", problems);
        await dashboard.SwitchToAsync("Terminal");
        await CheckAsync(dashboard.Page, "terminal mode", problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_keyboard_reaches_the_controls_in_reading_order()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop);
        await Expect(dashboard.Row(session.Label)).ToBeVisibleAsync();

        var reached = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await dashboard.Page.Keyboard.PressAsync("Tab");
            reached.Add(await dashboard.Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent.replace(/\\s+/g, ' ').trim()"));
        }

        // The link's name goes on with the attention word ("Working") once the shell has reported it.
        Assert.StartsWith($"Open {session.Label}", reached[3]);
        reached[3] = $"Open {session.Label}";
        Assert.Equal(["Sign out", "+ New Session", "Refresh", $"Open {session.Label}", $"+1 h: add an hour to {session.Label}", $"Stop {session.Label}"], reached);
        await dashboard.Page.Keyboard.PressAsync("Shift+Tab");
        await dashboard.Page.Keyboard.PressAsync("Shift+Tab");
        await dashboard.Page.Keyboard.PressAsync("Enter");
        await dashboard.WaitConnectedAsync();
        await Expect(dashboard.Page.GetByRole(AriaRole.Heading, new() { Name = session.Label })).ToBeVisibleAsync();

        // On a desktop the terminal takes the keyboard at once.
        await Expect(dashboard.Page.GetByRole(AriaRole.Textbox, new() { Name = "Terminal input" })).ToBeFocusedAsync();
    }

    private static async Task CheckAsync(IPage page, string where, List<string> problems)
    {
        var result = await page.RunAxe();
        foreach (var violation in result.Violations)
        {
            problems.Add($"{where}: {violation.Id} ({violation.Impact}): {violation.Help} — {string.Join(", ", violation.Nodes.Select(n => n.Html))}");
        }
    }
}
