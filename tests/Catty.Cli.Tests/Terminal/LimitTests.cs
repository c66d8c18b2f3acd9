using System.Net;
using System.Text.RegularExpressions;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Terminal;

/// <summary>
/// <c>catty new</c> turned away by the real server's limits (one running session and two creations a
/// minute per user, see <see cref="AccountsServer"/>), in a real terminal: what it says and its exit code.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed partial class LimitTests(AccountsServer server) : IAsyncLifetime
{
    private readonly TestHome _home = new();
    private readonly List<string> _started = [];
    private TmuxTerminal _terminal = null!;
    private CattyClient _api = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var label in _started)
        {
            await _api.StopSessionAsync(label);
        }

        if (_terminal is not null)
        {
            await _terminal.DisposeAsync();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task Past_the_running_sessions_quota_new_says_how_many_are_running_and_how_to_stop_one()
    {
        await SignInAsync("quota@example.com");
        _started.Add((await _api.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"))).Label);

        var screen = await RunNewAsync();

        Assert.Contains(
            $"error: You already have 1 running session (your limit is {AccountsServer.MaxRunningPerUser}); stop one first. (quota_exceeded)",
            screen, StringComparison.Ordinal);
        Assert.Contains("See your sessions with `catty list` and stop one with `catty stop <label>`", screen, StringComparison.Ordinal);
        Assert.Single(await _api.ListSessionsAsync());
    }

    [Fact]
    public async Task Past_the_creation_rate_new_says_when_to_try_again()
    {
        await SignInAsync("rate@example.com");

        // Spend this user's creations for the minute (the first starts a session, the next is over quota);
        // the one after is turned away with a Retry-After long enough that catty meets the same window.
        CattyApiException? limited = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                _started.Add((await _api.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"))).Label);
            }
            catch (CattyApiException e) when (e.Status is HttpStatusCode.PaymentRequired or HttpStatusCode.TooManyRequests)
            {
                limited = e;
            }

            return limited is { Status: HttpStatusCode.TooManyRequests, RetryAfter: { TotalSeconds: >= 20 } };
        }, "a creation turned away for the rest of the minute");

        var screen = await RunNewAsync();

        Assert.Contains("Too many requests; wait a moment and try again. (rate_limited)", screen, StringComparison.Ordinal);
        var retry = TryAgainIn().Match(screen);
        Assert.True(retry.Success, screen);
        var seconds = retry.Groups["min"].Success ? 60 : int.Parse(retry.Groups["s"].Value);
        Assert.InRange(seconds, 1, 60);
        Assert.Single(await _api.ListSessionsAsync());
    }

    /// <summary>A user of this test's own, signed in to catty with an API token made in their browser.</summary>
    private async Task SignInAsync(string email)
    {
        using var user = await WebUser.InviteAsync(server, email);
        await user.SignInAsync();
        var token = await user.CreateApiTokenAsync("cli");
        _home.SignIn(server.BaseAddress, token);
        _api = WebUser.ClientWith(server.BaseAddress, token);
        _terminal = await TmuxTerminal.StartAsync(_home, server.BaseAddress);
    }

    /// <summary>Runs <c>catty new</c> in the terminal, checks it failed with exit code 1 and started nothing; the screen.</summary>
    private async Task<string> RunNewAsync()
    {
        await _terminal.RunAsync($"{CattyProcess.Program} new --no-upload --agent shell; echo \"exit=$((0+$?))\"");
        await _terminal.WaitForAsync(new Regex(@"^exit=\d+$", RegexOptions.Multiline));
        var screen = await _terminal.ScreenAsync();
        Assert.Contains("\nexit=1\n", screen.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Session created", screen, StringComparison.Ordinal);
        return screen;
    }

    [GeneratedRegex(@"Try again in (?:(?<s>\d+) s|(?<min>1 min))\.")]
    private static partial Regex TryAgainIn();
}
