using System.Text.RegularExpressions;
using Catty.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>Terminal mode against a real shell session: typing, output, size, renderer, reconnect.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TerminalTests(Browsers browsers, SharedServer shared)
{
    [Theory]
    [InlineData(Device.Phone)]
    [InlineData(Device.Desktop)]
    public async Task A_typed_command_runs_in_the_session_and_its_output_is_in_the_terminal(Device device)
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, device);

        await dashboard.OpenSessionAsync(session.Label);
        if (device == Device.Phone)
        {
            await dashboard.SwitchToAsync("Terminal");
        }

        await dashboard.RunAsync("echo typed-$((6*7))");

        await dashboard.WaitForScreenAsync("typed-42");
        await Expect(dashboard.Page.Locator(".terminal-host")).ToHaveAttributeAsync("data-renderer", "webgl");
        await dashboard.ScreenshotAsync("terminal");
    }

    [Fact]
    public async Task Resizing_the_viewport_changes_the_sessions_window_size()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        await dashboard.SwitchToAsync("Terminal");

        var upright = await SizeInSessionAsync(dashboard, "upright");
        await dashboard.Page.SetViewportSizeAsync(844, 390);
        await dashboard.Page.WaitForFunctionAsync($"() => document.querySelector('.terminal-host').terminal.cols > {upright.Cols}");
        var turned = await SizeInSessionAsync(dashboard, "turned");

        Assert.True(turned.Cols > upright.Cols && turned.Rows < upright.Rows, $"upright {upright}, turned {turned}");
    }

    [Fact]
    public async Task Without_WebGL_the_terminal_falls_back_to_the_DOM_renderer()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop);
        await dashboard.Page.AddInitScriptAsync("""
            const getContext = HTMLCanvasElement.prototype.getContext;
            HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
              return kind === 'webgl2' || kind === 'webgl' ? null : getContext.call(this, kind, ...rest);
            };
            """);
        await dashboard.Page.GotoAsync($"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        await dashboard.RunAsync("echo dom-$((2*21))");

        await Expect(dashboard.Page.Locator(".terminal-host")).ToHaveAttributeAsync("data-renderer", "dom");
        await Expect(dashboard.Page.Locator(".xterm-rows")).ToContainTextAsync("dom-42");
    }

    [Fact]
    public async Task Links_in_the_output_open_when_clicked()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        await dashboard.RunAsync("clear; echo https://catty.invalid/docs");
        await dashboard.WaitForScreenAsync(new Regex("^https://catty.invalid/docs$", RegexOptions.Multiline), "the link");

        // The centre of the link's cells: the link is the first thing on its row.
        var point = await dashboard.Page.EvaluateAsync<float[]>("""
            () => {
              const term = document.querySelector('.terminal-host').terminal;
              const screen = document.querySelector('.terminal-host .xterm-screen').getBoundingClientRect();
              const buffer = term.buffer.active;
              let row = 0;
              while (!buffer.getLine(buffer.viewportY + row).translateToString(true).startsWith('https://')) row++;
              return [screen.left + 10 * screen.width / term.cols, screen.top + (row + 0.5) * screen.height / term.rows];
            }
            """);
        await dashboard.Context.RouteAsync("https://catty.invalid/**", route => route.FulfillAsync(new() { Body = "docs", ContentType = "text/html" }));
        await dashboard.Page.Mouse.MoveAsync(point[0], point[1]);
        var popup = dashboard.Context.WaitForPageAsync();
        await dashboard.Page.Mouse.ClickAsync(point[0], point[1]);

        Assert.StartsWith("https://catty.invalid/docs", (await popup).Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_terminal_keeps_10000_lines_of_scrollback_in_the_designs_colours()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        await dashboard.RunAsync("seq 1 12000");
        await dashboard.WaitForScreenAsync(new Regex("^12000$", RegexOptions.Multiline), "the last number");

        var kept = await dashboard.Page.EvaluateAsync<int[]>("""
            () => { const t = document.querySelector('.terminal-host').terminal; return [t.buffer.active.length, t.rows]; }
            """);
        Assert.Equal(10_000 + kept[1], kept[0]);
        var theme = await dashboard.Page.EvaluateAsync<string[]>("""
            () => { const o = document.querySelector('.terminal-host').terminal.options.theme; return [o.background, o.foreground, o.cursor]; }
            """);
        Assert.Equal(["#0a0a0f", "#e8e8f0", "#00ff88"], theme);
    }

    /// <summary>Asks the session's PTY with stty, and checks it agrees with the terminal on the page.</summary>
    private static async Task<(int Cols, int Rows)> SizeInSessionAsync(Dashboard dashboard, string tag)
    {
        var colsRows = await dashboard.Page.EvaluateAsync<int[]>("() => { const t = document.querySelector('.terminal-host').terminal; return [t.cols, t.rows]; }");
        var (cols, rows) = (colsRows[0], colsRows[1]);
        await dashboard.RunAsync($"echo {tag}: $(stty size)");
        var screen = await dashboard.WaitForScreenAsync(new Regex($@"^{tag}: \d+ \d+", RegexOptions.Multiline), $"the stty size of {tag}");
        var match = Regex.Match(screen, $@"^{tag}: (\d+) (\d+)", RegexOptions.Multiline);
        var size = (Cols: int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), Rows: int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((cols, rows), size);
        return size;
    }
}
