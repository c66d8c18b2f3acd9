using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>The terminal under a finger: real touch input (the browser's own touch events) at phone size.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TouchTests(Browsers browsers, SharedServer shared)
{
    private const string Terminal = "document.querySelector('.terminal-host').terminal";

    [Fact]
    public async Task A_swipe_scrolls_the_scrollback_a_long_press_selects_and_Copy_copies_and_the_keys_fit()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();
        var page = dashboard.Page;
        await dashboard.SwitchToAsync("Terminal");
        await dashboard.RunAsync("seq 1 400 | sed 's/^/line-/'");
        await dashboard.WaitForScreenAsync("\nline-400\n");
        Assert.Equal("11", await page.EvaluateAsync<string>($"() => {Terminal}.unicode.activeVersion"));
        var bottom = await page.EvaluateAsync<int>($"() => {Terminal}.buffer.active.baseY");
        Assert.Equal(bottom, await ViewportYAsync(page));

        // Finger down the screen: earlier lines come into view, as on any touch list.
        var touch = await page.Context.NewCDPSessionAsync(page);
        var box = (await page.Locator(".terminal-host .xterm-screen").BoundingBoxAsync())!;
        var x = box.X + box.Width / 2;
        await SwipeAsync(touch, x, box.Y + 40, box.Y + box.Height - 40);
        var scrolled = await ViewportYAsync(page);
        Assert.True(scrolled < bottom - 5, $"a swipe down scrolled from {bottom} to {scrolled}");
        await SwipeAsync(touch, x, box.Y + box.Height - 40, box.Y + 60);
        Assert.True(await ViewportYAsync(page) > scrolled, "a swipe up scrolls back towards the end");

        // A long press on the first visible row selects its word; Copy puts it on the clipboard.
        var row = await ViewportYAsync(page);
        var word = (await page.EvaluateAsync<string>($"row => {Terminal}.buffer.active.getLine(row).translateToString(true)", row)).Trim();
        Assert.Matches("^line-[0-9]+$", word);
        var rowHeight = box.Height / await page.EvaluateAsync<int>($"() => {Terminal}.rows");
        await touch.SendAsync("Input.dispatchTouchEvent", Touch("touchStart", box.X + 8, box.Y + rowHeight / 2));
        await page.WaitForFunctionAsync($"() => {Terminal}.hasSelection()");
        await touch.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object> { ["type"] = "touchEnd", ["touchPoints"] = Array.Empty<object>() });
        var bar = page.GetByRole(AriaRole.Toolbar, new() { Name = "Selection" });
        await Expect(bar).ToBeVisibleAsync();
        Assert.Equal(word, await page.EvaluateAsync<string>($"() => {Terminal}.getSelection()"));
        await dashboard.ScreenshotAsync("touch-selection");
        await bar.GetByRole(AriaRole.Button, new() { Name = "Copy" }).TapAsync();
        await Expect(bar.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(word, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await bar.GetByRole(AriaRole.Button, new() { Name = "Done" }).TapAsync();
        await Expect(bar).ToBeHiddenAsync();
        Assert.False(await page.EvaluateAsync<bool>($"() => {Terminal}.hasSelection()"));

        // The keys a phone needs most are on screen without scrolling the bar.
        var keys = page.GetByRole(AriaRole.Toolbar, new() { Name = "Terminal keys" });
        var barBox = (await keys.BoundingBoxAsync())!;
        foreach (var name in new[] { "Left arrow", "Up arrow", "Down arrow", "Right arrow", "Enter" })
        {
            var key = (await keys.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).BoundingBoxAsync())!;
            Assert.True(key.X >= barBox.X && key.X + key.Width <= Math.Min(barBox.X + barBox.Width, 390), $"{name} at {key.X}..{key.X + key.Width} of a {barBox.Width} px bar");
        }

        Assert.Equal(0, await keys.EvaluateAsync<int>("bar => bar.scrollLeft"));
    }

    private static Task<int> ViewportYAsync(IPage page) => page.EvaluateAsync<int>($"() => {Terminal}.buffer.active.viewportY");

    private static async Task SwipeAsync(ICDPSession touch, float x, float fromY, float toY)
    {
        const int steps = 12;
        await touch.SendAsync("Input.dispatchTouchEvent", Touch("touchStart", x, fromY));
        for (var step = 1; step <= steps; step++)
        {
            await touch.SendAsync("Input.dispatchTouchEvent", Touch("touchMove", x, fromY + (toY - fromY) * step / steps));
        }

        await touch.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object> { ["type"] = "touchEnd", ["touchPoints"] = Array.Empty<object>() });
    }

    private static Dictionary<string, object> Touch(string type, float x, float y) => new()
    {
        ["type"] = type,
        ["touchPoints"] = new[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y } },
    };
}
