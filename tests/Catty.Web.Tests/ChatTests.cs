using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>Chat mode: clean bubbles, a text box that sends exactly what was typed, quick buttons.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task Chat_is_the_default_on_a_phone_and_terminal_on_a_desktop()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var phone = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await phone.WaitConnectedAsync();
        await Expect(phone.Page.GetByRole(AriaRole.Button, new() { Name = "Chat", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(phone.Page.GetByRole(AriaRole.Log, new() { Name = "Session output" })).ToBeVisibleAsync();
        await phone.DisposeAsync();

        await using var desktop = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await desktop.WaitConnectedAsync();
        await Expect(desktop.Page.GetByRole(AriaRole.Button, new() { Name = "Terminal", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(desktop.Page.GetByRole(AriaRole.Log, new() { Name = "Session output" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Coloured_and_boxed_output_becomes_a_clean_bubble()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        await SayAsync(dashboard, @"printf '\e[1;31mred\e[0m and \e[38;5;42mgreen\e[0m\n╭────╮\n│ boxed │\n╰────╯\n⠋ spinning\r⠙ spinning\rdone 100%%\n'");

        var bubble = dashboard.Page.Locator(".bubble.theirs").Last;
        await Expect(bubble).ToContainTextAsync("done 100%");
        var text = await bubble.InnerTextAsync();
        Assert.StartsWith("red and green\nboxed\ndone 100%\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[0m", text, StringComparison.Ordinal);
        Assert.DoesNotContain("─", text, StringComparison.Ordinal);
        Assert.DoesNotContain("spinning", text, StringComparison.Ordinal);
        await dashboard.ScreenshotAsync("chat");
    }

    [Fact]
    public async Task The_text_box_sends_exactly_what_was_typed_then_Enter()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        var box = dashboard.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to the session" });
        await Expect(box).ToHaveAttributeAsync("autocorrect", "off");
        await Expect(box).ToHaveAttributeAsync("autocapitalize", "off");
        await Expect(box).ToHaveAttributeAsync("spellcheck", "false");

        await SayAsync(dashboard, "echo 'teh  Mixed case, i think'");

        await Expect(dashboard.Page.Locator(".bubble.mine").Last).ToHaveTextAsync("echo 'teh  Mixed case, i think'");
        await dashboard.WaitForScreenAsync("\nteh  Mixed case, i think\n");
        await Expect(dashboard.Page.Locator(".bubble.theirs").Last).ToContainTextAsync("teh  Mixed case, i think");
    }

    [Fact]
    public async Task Each_quick_button_reaches_the_session_as_its_key()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        await SayAsync(dashboard, Dashboard.ByteEchoCommand(13));
        await dashboard.WaitForScreenAsync(new System.Text.RegularExpressions.Regex("^READY", System.Text.RegularExpressions.RegexOptions.Multiline), "the byte echo starting");
        var quick = dashboard.Page.GetByRole(AriaRole.Group, new() { Name = "Quick replies" });

        foreach (var name in new[] { "Send y", "Send n", "Send 1", "Send 2", "Up arrow", "Down arrow", "Enter", "Esc", "Control C" })
        {
            await quick.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();
        }

        await dashboard.WaitForScreenAsync(Dashboard.ByteEchoLine(0x79, 0x6e, 0x31, 0x32, 0x1b, 0x5b, 0x41, 0x1b, 0x5b, 0x42, 0x0d, 0x1b, 0x03));
    }

    [Fact]
    public async Task Switching_modes_keeps_the_connection_and_the_output()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        await SayAsync(dashboard, "echo from-chat-$((20+1))");
        await Expect(dashboard.Page.Locator(".bubble.theirs").Last).ToContainTextAsync("from-chat-21");

        await dashboard.SwitchToAsync("Terminal");
        await dashboard.WaitForScreenAsync("from-chat-21");
        await dashboard.RunAsync("echo from-terminal-$((40+2))");
        await dashboard.WaitForScreenAsync("from-terminal-42");
        await dashboard.SwitchToAsync("Chat");

        await Expect(dashboard.Page.Locator(".bubble.theirs").Last).ToContainTextAsync("from-terminal-42");
        await Expect(dashboard.Page.Locator(".chat-log")).ToContainTextAsync("from-chat-21");
        await Expect(dashboard.Status).ToHaveTextAsync("Connected");
        Assert.Single(dashboard.Sockets);
    }

    private static async Task SayAsync(Dashboard dashboard, string text)
    {
        var box = dashboard.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to the session" });
        await box.FillAsync(text);
        await box.PressAsync("Enter");
    }
}
