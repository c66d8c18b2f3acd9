using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests.Infrastructure;

/// <summary>One browser context on the dashboard, with helpers that read as what a person does and sees.</summary>
internal sealed class Dashboard : IAsyncDisposable
{
    private const string ReadScreen = """
        () => {
          const term = document.querySelector('.terminal-host')?.terminal;
          if (!term) return null;
          const buffer = term.buffer.active, lines = [];
          // Rows that wrap are one line, as the program wrote it.
          for (let i = 0; i < buffer.length; i++) {
            const row = buffer.getLine(i);
            if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += row.translateToString(true);
            else lines.push(row.translateToString(true));
          }
          return lines.join('\n').replace(/\n+$/, '');
        }
        """;

    private readonly Lock _gate = new();
    private readonly List<IWebSocket> _sockets = [];
    private readonly List<ApiAnswer> _answers = [];

    private Dashboard(IBrowserContext context, IPage page, Account account, Device device)
    {
        Context = context;
        Page = page;
        Account = account;
        Device = device;
        page.WebSocket += (_, socket) =>
        {
            lock (_gate)
            {
                _sockets.Add(socket);
            }
        };
        page.Response += (_, response) =>
        {
            var url = new Uri(response.Url);
            if (url.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal))
            {
                lock (_gate)
                {
                    _answers.Add(new ApiAnswer(response.Request.Method, url.AbsolutePath, response.Status));
                }
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Who is signed in.</summary>
    public Account Account { get; }

    public DashboardServer Server => Account.Server;

    public Device Device { get; }

    public ILocator Status => Page.Locator(".status-bar .status-text");

    /// <summary>Every WebSocket the page opened, oldest first (Playwright sees them, whether or not the server took them).</summary>
    public IReadOnlyList<IWebSocket> Sockets
    {
        get
        {
            lock (_gate)
            {
                return [.. _sockets];
            }
        }
    }

    /// <summary>What the server answered to the page's <c>/v1</c> calls that it refused as unauthorised or forbidden (401, 403).</summary>
    public IReadOnlyList<ApiAnswer> Refusals
    {
        get
        {
            lock (_gate)
            {
                return [.. _answers.Where(a => a.Status is 401 or 403)];
            }
        }
    }

    /// <summary>
    /// A fresh browser context that signs in as <paramref name="account"/> on the server's own sign-in page and
    /// comes back to <paramref name="path"/>, as the dashboard's redirect would bring a person there.
    /// </summary>
    public static async Task<Dashboard> OpenAsync(Browsers browsers, Account account, Device device, string path = "/", bool fakeClock = false)
    {
        var context = await browsers.NewContextAsync(device, account.Server.BaseAddress);
        var page = await context.NewPageAsync();
        var dashboard = new Dashboard(context, page, account, device);
        if (fakeClock)
        {
            // Timers run in real time until a test jumps ahead (Clock.FastForwardAsync).
            await page.Clock.InstallAsync();
        }

        await page.GotoAsync("/signin?return_to=" + Uri.EscapeDataString(path));
        await SignInAsync(page, account);
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == path);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Signing in never came back to {path}; the page is {page.Url}:\n{await page.Locator("body").InnerTextAsync()}");
        }

        return dashboard;
    }

    /// <summary>Another browser context with this one's cookies: the same sign-in, an empty cache, no page opened yet.</summary>
    public async Task<Dashboard> WithSameSignInAsync(Browsers browsers)
    {
        var context = await browsers.NewContextAsync(Device, Server.BaseAddress, await Context.StorageStateAsync());
        return new Dashboard(context, await context.NewPageAsync(), Account, Device);
    }

    /// <summary>Fills in and submits the server's sign-in form shown on <paramref name="page"/>.</summary>
    public static async Task SignInAsync(IPage page, Account account)
    {
        await page.GetByLabel("Email").FillAsync(account.Email);
        await page.GetByLabel("Password").FillAsync(Account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public ILocator Row(string label) => Page.Locator($".session-row[data-label='{label}']");

    /// <summary>Opens a running session from the list and waits until its terminal is connected.</summary>
    public async Task OpenSessionAsync(string label)
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = $"Open {label}" }).ClickAsync();
        await WaitConnectedAsync();
    }

    /// <summary>Presses Terminal or Chat in the session header.</summary>
    public Task SwitchToAsync(string mode) => Page.GetByRole(AriaRole.Button, new() { Name = mode, Exact = true }).ClickAsync();

    public Task WaitConnectedAsync() => Expect(Status).ToHaveTextAsync("Connected");

    public Task<string?> ScreenAsync() => Page.EvaluateAsync<string?>(ReadScreen);

    /// <summary>Waits until the terminal buffer (scrollback included) matches; on failure says what it showed.</summary>
    public async Task<string> WaitForScreenAsync(Regex pattern, string what)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "([source, flags]) => { const read = " + ReadScreen + "; const text = read(); return text !== null && new RegExp(source, flags).test(text); }",
                new object[] { pattern.ToString(), pattern.Options.HasFlag(RegexOptions.Multiline) ? "m" : "" },
                new PageWaitForFunctionOptions { Timeout = (float)Deadline.Default.TotalMilliseconds, PollingInterval = 50 });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The terminal never showed {what} ({pattern}). It showed:\n{await ScreenAsync()}");
        }

        return (await ScreenAsync())!;
    }

    public Task<string> WaitForScreenAsync(string text) => WaitForScreenAsync(new Regex(Regex.Escape(text)), $"\"{text}\"");

    /// <summary>Types a command line into the terminal (as a keyboard would) and presses Enter.</summary>
    public async Task RunAsync(string commandLine)
    {
        await Page.Locator(".terminal-host textarea").FocusAsync();
        await Page.Keyboard.InsertTextAsync(commandLine);
        await Page.Keyboard.PressAsync("Enter");
    }

    /// <summary>
    /// A command for the session that reads <paramref name="count"/> bytes in raw mode (no echo, no signals)
    /// and prints them in hex, e.g. "BYTES: 1b 5b 41": what keys send to the PTY, as the PTY got it.
    /// </summary>
    public static string ByteEchoCommand(int count) =>
        $"stty raw -echo; echo READY; head -c {count} | od -An -tx1 -v -w256 | sed 's/^/BYTES:/'; stty sane";

    /// <summary>The line <see cref="ByteEchoCommand"/> prints for <paramref name="bytes"/>.</summary>
    public static string ByteEchoLine(params byte[] bytes) => "BYTES:" + string.Concat(bytes.Select(b => $" {b:x2}"));

    /// <summary>Starts <see cref="ByteEchoCommand"/> from the terminal and waits until it reads.</summary>
    public async Task StartByteEchoAsync(int count)
    {
        await RunAsync(ByteEchoCommand(count));
        await WaitForScreenAsync(new Regex("^READY", RegexOptions.Multiline), "the byte echo starting");
    }

    public async Task ScreenshotAsync(string name)
    {
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf($"{name}-{Device.ToString().ToLowerInvariant()}.png") });
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>One answer the server gave to the page's <c>/v1</c> calls.</summary>
internal sealed record ApiAnswer(string Method, string Path, int Status);
