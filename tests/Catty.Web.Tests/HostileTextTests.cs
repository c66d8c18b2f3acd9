using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>
/// What a session prints is hostile to the page that shows it: markup in its output stays text, and the pages'
/// Content-Security-Policy would stop a script even if some text were ever inserted as HTML.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileTextTests(Browsers browsers, SharedServer shared)
{
    // Each line tries one way in: an inline script, an inline handler, a javascript: URL, and a string compiled by
    // the page's own timer (eval's twin; an evaluation from the test itself would not be held to the policy). A timer
    // queued after them runs after them, so their results are in when it resolves.
    private const string ScriptsThatMustNotRun = """
        async () => {
          const script = document.createElement("script");
          script.textContent = "window.cattyRan = (window.cattyRan ?? '') + 'inline '";
          document.body.append(script);
          const button = document.createElement("button");
          button.setAttribute("onclick", "window.cattyRan = (window.cattyRan ?? '') + 'handler '");
          document.body.append(button);
          button.click();
          const link = document.createElement("a");
          link.href = "javascript:void(window.cattyRan = (window.cattyRan ?? '') + 'link ')";
          document.body.append(link);
          link.click();
          setTimeout("window.cattyRan = (window.cattyRan ?? '') + 'eval '", 0);
          await new Promise(resolve => setTimeout(resolve, 0));
          await new Promise(resolve => setTimeout(resolve, 0));
          button.remove();
          link.remove();
          return window.cattyRan ?? "nothing";
        }
        """;

    [Fact]
    public async Task Markup_in_a_sessions_output_runs_nothing_and_neither_inline_script_nor_eval_can_run_on_any_page()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, $"/sessions/{session.Label}");
        var dialogs = new List<string>();
        dashboard.Page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await dashboard.WaitConnectedAsync();

        var box = dashboard.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to the session" });
        await box.FillAsync("""printf '%s\n' '<img src=x onerror="alert(1)">' '<a href="javascript:alert(2)">tap</a>' '</script><script>alert(3)</script>' 'hostile-end'""");
        await box.PressAsync("Enter");

        var log = dashboard.Page.GetByRole(AriaRole.Log, new() { Name = "Session output" });
        await Expect(log).ToContainTextAsync("</script><script>alert(3)</script>\nhostile-end");
        await Expect(log).ToContainTextAsync("<img src=x onerror=\"alert(1)\">");
        Assert.Equal(0, await log.Locator("img, a[href^='javascript'], script, [onerror]").CountAsync());
        var links = log.GetByText("tap");
        if (await links.CountAsync() > 0)
        {
            await links.First.ClickAsync();
        }

        Assert.Equal("nothing", await dashboard.Page.EvaluateAsync<string>(ScriptsThatMustNotRun));
        Assert.Empty(dialogs);

        // The server's own pages run no script at all.
        var signIn = await dashboard.Context.NewPageAsync();
        var answer = await signIn.GotoAsync("/signin");
        var policy = await answer!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("nothing", await signIn.EvaluateAsync<string>(ScriptsThatMustNotRun));

        // The same attempts on a page without a policy do run: the check above could fail.
        var blank = await dashboard.Context.NewPageAsync();
        var unguarded = await blank.EvaluateAsync<string>(ScriptsThatMustNotRun);
        Assert.Contains("inline", unguarded, StringComparison.Ordinal);
        Assert.Contains("eval", unguarded, StringComparison.Ordinal);
        Assert.Contains("handler", unguarded, StringComparison.Ordinal);
        var shell = await dashboard.Page.Context.APIRequest.GetAsync("/");
        Assert.Contains("connect-src 'self'", shell.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", shell.Headers["content-security-policy"], StringComparison.Ordinal);
    }
}
