using Catty.Sdk.Api;
using Catty.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>The pages the server writes itself (sign-in, invite, device approval): the dashboard's look, on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ServerPagesTests(Browsers browsers, SharedServer shared)
{
    /// <summary>The page's colours and font, and those of the given button: what makes it look like the dashboard.</summary>
    private const string LookOf = """
        name => {
          const body = getComputedStyle(document.body);
          const button = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === name);
          const style = getComputedStyle(button);
          return JSON.stringify({
            page: [body.backgroundColor, body.color, body.fontFamily],
            button: [style.backgroundColor, style.color, style.borderRadius, style.minHeight, style.fontWeight, style.fontSize],
          });
        }
        """;

    private const string OverflowOf = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth";

    [Fact]
    public async Task Sign_in_invite_and_device_approval_fit_a_phone_and_look_like_the_dashboard()
    {
        var server = shared.Server;
        var account = await shared.NewAccountAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        await Expect(dashboard.Page.Locator(".empty")).ToBeVisibleAsync();
        var look = await dashboard.Page.EvaluateAsync<string>(LookOf, "+ New Session");

        // Signed out: the sign-in page, with an error, and an invite for a long address that must wrap.
        await using var signedOut = await browsers.NewContextAsync(Device.Phone, server.BaseAddress);
        var page = await signedOut.NewPageAsync();
        await page.GotoAsync("/signin?return_to=%2F");
        await CheckAsync(page, "signin", "Sign in", look);
        await page.GetByLabel("Email").FillAsync("a-rather-long-address-for-a-small-screen@a-long-domain-name.catty.test");
        await page.GetByLabel("Password").FillAsync("wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong email or password.");
        await CheckAsync(page, "signin-error", "Sign in", look);

        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest($"invited-with-a-long-name-{Guid.NewGuid():N}@catty.test"));
        await page.GotoAsync(new Uri(invite.InviteUrl).PathAndQuery);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join Catty" })).ToBeVisibleAsync();
        await CheckAsync(page, "invite", "Create account", look);

        // Signed in: the page where a person approves their CLI's login, showing the CLI's code.
        using var anonymous = server.Anonymous();
        var login = await new CattyClient(anonymous).StartDeviceLoginAsync();
        await dashboard.Page.GotoAsync(new Uri(login.VerificationUriComplete).PathAndQuery);
        await Expect(dashboard.Page.Locator(".code")).ToHaveTextAsync(login.UserCode);
        await CheckAsync(dashboard.Page, "device-approval", "Approve", look);
    }

    /// <summary>
    /// No sideways scrolling at 390 px, the dashboard's colours, font and primary button, nothing axe-core objects to;
    /// a screenshot to look at.
    /// </summary>
    private static async Task CheckAsync(IPage page, string name, string primaryButton, string dashboardLook)
    {
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf($"page-{name}-phone.png"), FullPage = true });
        Assert.Equal(390, page.ViewportSize!.Width);
        Assert.True(await page.EvaluateAsync<int>(OverflowOf) <= 0, $"{name}: the page scrolls sideways at 390 px");
        Assert.Equal(dashboardLook, await page.EvaluateAsync<string>(LookOf, primaryButton));
        Assert.True(await page.Locator("input:not([type=hidden])").EvaluateAllAsync<bool>(
            "inputs => inputs.every(i => parseFloat(getComputedStyle(i).fontSize) >= 16)"), $"{name}: a field's text is under 16 px (phones zoom in on it)");
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, $"{name}: " + string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}
