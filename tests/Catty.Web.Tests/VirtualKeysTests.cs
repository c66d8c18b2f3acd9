using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>The on-screen keys of a touch screen, each checked at the PTY as the bytes it must send.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VirtualKeysTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task Each_virtual_key_reaches_the_session_as_its_bytes()
    {
        await using var dashboard = await OpenTerminalAsync();
        await dashboard.StartByteEchoAsync(23);
        var keys = dashboard.Page.GetByRole(AriaRole.Toolbar, new() { Name = "Terminal keys" });

        foreach (var name in new[] { "Esc", "Tab", "Shift Tab", "Control C", "Control D", "Control Z", "Control L", "Left arrow", "Up arrow", "Down arrow", "Right arrow", "Backspace", "Enter" })
        {
            await keys.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).TapAsync();
        }

        await dashboard.WaitForScreenAsync(Dashboard.ByteEchoLine(
            0x1b, 0x09, 0x1b, 0x5b, 0x5a, 0x03, 0x04, 0x1a, 0x0c, 0x1b, 0x5b, 0x44, 0x1b, 0x5b, 0x41, 0x1b, 0x5b, 0x42, 0x1b, 0x5b, 0x43, 0x7f, 0x0d));
    }

    [Fact]
    public async Task Sticky_Ctrl_then_c_interrupts_a_sleep()
    {
        await using var dashboard = await OpenTerminalAsync();
        var ctrl = dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Ctrl (sticky)" });
        await dashboard.RunAsync("sleep 1000");

        await ctrl.TapAsync();
        await Expect(ctrl).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(ctrl).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("armed"));
        await dashboard.ScreenshotAsync("keys-ctrl-armed");
        await dashboard.Page.Keyboard.TypeAsync("c");

        await Expect(ctrl).ToHaveAttributeAsync("aria-pressed", "false");
        // The shell is back (the ^C, then a new prompt) once sleep is interrupted; typing earlier would race its input reset.
        await dashboard.WaitForScreenAsync(new System.Text.RegularExpressions.Regex(@"^\^C\n.*[$#] *$", System.Text.RegularExpressions.RegexOptions.Multiline), "a new prompt after ^C");
        await dashboard.RunAsync("echo after-$((1+1))");
        await dashboard.WaitForScreenAsync("\nafter-2");
    }

    [Fact]
    public async Task Sticky_Alt_prefixes_the_next_key_with_escape_once()
    {
        await using var dashboard = await OpenTerminalAsync();
        await dashboard.StartByteEchoAsync(3);

        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Alt (sticky)" }).TapAsync();
        await dashboard.Page.Keyboard.TypeAsync("bb");

        await dashboard.WaitForScreenAsync(Dashboard.ByteEchoLine(0x1b, 0x62, 0x62));
    }

    [Fact]
    public async Task A_button_shows_and_hides_the_keys_and_a_desktop_has_none()
    {
        await using var dashboard = await OpenTerminalAsync();
        var keys = dashboard.Page.GetByRole(AriaRole.Toolbar, new() { Name = "Terminal keys" });
        await Expect(keys).ToBeVisibleAsync();

        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Hide terminal keys" }).TapAsync();
        await Expect(keys).ToBeHiddenAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Show terminal keys" }).TapAsync();
        await Expect(keys).ToBeVisibleAsync();

        await using var desktop = await Dashboard.OpenAsync(browsers, dashboard.Account, Device.Desktop, new Uri(dashboard.Page.Url).AbsolutePath);
        await desktop.WaitConnectedAsync();
        await Expect(desktop.Page.GetByRole(AriaRole.Toolbar, new() { Name = "Terminal keys" })).ToBeHiddenAsync();
        await Expect(desktop.Page.GetByRole(AriaRole.Button, new() { Name = "Show terminal keys" })).ToBeHiddenAsync();
    }

    /// <summary>A phone on a fresh shell session, switched to terminal mode.</summary>
    private async Task<Dashboard> OpenTerminalAsync()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        await dashboard.SwitchToAsync("Terminal");
        return dashboard;
    }
}
