using System.Net;
using System.Text.Json;
using Catty.Cli.Auth;
using Catty.Cli.Config;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Commands;

/// <summary>
/// <c>catty login</c> and <c>logout</c> against the real server: a person approves (or denies) the code in a
/// browser signed in through <c>/signin</c>, catty stores what it gets, renews it on a 401 and ends it on logout.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class SignInTests(AccountsServer server) : IDisposable
{
    private readonly TestHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Login_approved_in_the_browser_stores_the_tokens_0600_and_list_uses_them()
    {
        using var user = await WebUser.InviteAsync(server, "login@example.com");
        var opened = Path.Combine(_home.Root, "opened.txt");
        var browser = Path.Combine(_home.Root, "browser.sh");
        File.WriteAllText(browser, $"#!/bin/sh\necho \"$1\" > {opened}\n");
        File.SetUnixFileMode(browser, (UnixFileMode)0x1ED);

        var (catty, page) = await CliLogin.DecideAsync(_home, server.BaseAddress, user, "approve", new Dictionary<string, string?> { ["BROWSER"] = browser });
        await using (catty)
        {
            Assert.True(await catty.ExitAsync() == 0, catty.Output);
        }

        Assert.Contains("Login approved", page, StringComparison.Ordinal);
        Assert.Contains("Waiting for you to approve", catty.Output, StringComparison.Ordinal);
        Assert.Contains($"Signed in to {ApiAddress.Key(server.BaseAddress)} as login@example.com", catty.Output, StringComparison.Ordinal);
        Assert.StartsWith($"{server.BaseAddress}device?user_code=", File.ReadAllText(opened).Trim(), StringComparison.Ordinal);

        var file = Path.Combine(_home.CattyFolder, "credentials.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_home.CattyFolder));
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(ApiAddress.Key(server.BaseAddress), json.RootElement.GetProperty("default_server").GetString());
        var entry = json.RootElement.GetProperty("servers").GetProperty(ApiAddress.Key(server.BaseAddress));
        Assert.Equal("login@example.com", entry.GetProperty("user").GetProperty("email").GetString());
        var stored = CliLogin.Stored(_home, server.BaseAddress)!;
        Assert.Equal(("login@example.com", null), ((await WebUser.ClientWith(server.BaseAddress, stored.AccessToken).GetMeAsync()).User.Email, stored.ApiToken));

        // The stored tokens are this person's: their session is listed, found through the default server.
        var asUser = WebUser.ClientWith(server.BaseAddress, stored.AccessToken);
        var session = await asUser.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
        try
        {
            var list = await CattyProcess.RunAsync(_home, server: null, input: null, "ls");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Matches($"(?m)^LABEL +STATUS +REGION +CREATED\n{session.Label} ", list.Out);
        }
        finally
        {
            await asUser.StopSessionAsync(session.Label);
        }
    }

    [Fact]
    public async Task Logout_ends_the_login_on_the_server_and_deletes_it_here()
    {
        using var user = await WebUser.InviteAsync(server, "logout@example.com");
        var stored = await CliLogin.ApproveAsync(_home, server.BaseAddress, user);
        Assert.Equal(HttpStatusCode.OK, await WebUser.StatusOfAsync(server.BaseAddress, stored.AccessToken!));

        var result = await CattyProcess.RunAsync(_home, server.BaseAddress, input: null, "logout");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Signed out", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.CattyFolder, "credentials.json")));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebUser.StatusOfAsync(server.BaseAddress, stored.AccessToken!));
        var renewal = await Assert.ThrowsAsync<CattyApiException>(() => WebUser.ClientWith(server.BaseAddress, null).RefreshAsync(stored.RefreshToken!));
        Assert.Equal(HttpStatusCode.BadRequest, renewal.Status);
    }

    [Fact]
    public async Task A_code_denied_in_the_browser_ends_login_with_what_to_do()
    {
        using var user = await WebUser.InviteAsync(server, "deny@example.com");

        var (catty, page) = await CliLogin.DecideAsync(_home, server.BaseAddress, user, "deny");
        await using (catty)
        {
            Assert.Equal(1, await catty.ExitAsync());
        }

        Assert.Contains("Login denied", page, StringComparison.Ordinal);
        Assert.Contains("error: the sign-in was denied in the browser.", catty.Output, StringComparison.Ordinal);
        Assert.Contains("Run `catty login` again", catty.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.CattyFolder, "credentials.json")));
    }

    [Fact]
    public async Task A_code_nobody_approves_expires_with_what_to_do()
    {
        await using var shortCodes = await CliServer.StartAsync(AccountsServer.With(("Catty__Auth__DeviceCodeLifetime", "00:00:02")));

        var result = await CattyProcess.RunAsync(_home, shortCodes.BaseAddress, input: null, "login");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("enter the code", result.Err, StringComparison.Ordinal);
        Assert.Contains("error: the sign-in code expired before it was approved.", result.Err, StringComparison.Ordinal);
        Assert.Contains("Run `catty login` again", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.CattyFolder, "credentials.json")));
    }

    [Fact]
    public async Task An_expired_access_token_is_renewed_on_the_401_and_the_command_goes_through()
    {
        // Access tokens that last three seconds: the test waits (on the server's own answer) until the stored one is refused.
        await using var shortTokens = await CliServer.StartAsync(AccountsServer.With(("Catty__Auth__AccessTokenLifetime", "00:00:03")));
        using var user = await WebUser.InviteAsync(shortTokens, "renew@example.com");
        var first = await CliLogin.ApproveAsync(_home, shortTokens.BaseAddress, user);
        await Poll.UntilAsync(async () => await WebUser.StatusOfAsync(shortTokens.BaseAddress, first.AccessToken!) == HttpStatusCode.Unauthorized,
            "the stored access token to expire");

        // Two at once: the refresh token is single-use, so only one may present it (the other waits for its
        // renewal); were both to, the server would end the whole sign-in and the second renewal would fail.
        var results = await Task.WhenAll(
            CattyProcess.RunAsync(_home, shortTokens.BaseAddress, input: null, "ls"),
            CattyProcess.RunAsync(_home, shortTokens.BaseAddress, input: null, "ls"));

        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("You have no sessions", result.Err, StringComparison.Ordinal);
        }

        var renewed = CliLogin.Stored(_home, shortTokens.BaseAddress)!;
        Assert.NotEqual(first.AccessToken, renewed.AccessToken);
        Assert.NotEqual(first.RefreshToken, renewed.RefreshToken);
        Assert.Equal("renew@example.com", renewed.User?.Email);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_home.CattyFolder, "credentials.json")));

        // The sign-in is still alive: its stored refresh token is the current one.
        var next = await WebUser.ClientWith(shortTokens.BaseAddress, null).RefreshAsync(renewed.RefreshToken!);
        Assert.Equal("renew@example.com", next.User?.Email);
    }

    [Fact]
    public async Task A_login_ended_elsewhere_says_to_sign_in_again()
    {
        using var user = await WebUser.InviteAsync(server, "ended@example.com");
        var stored = await CliLogin.ApproveAsync(_home, server.BaseAddress, user);
        await WebUser.ClientWith(server.BaseAddress, stored.AccessToken).LogoutAsync();

        var result = await CattyProcess.RunAsync(_home, server.BaseAddress, input: null, "ls");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"error: your sign-in to {server.BaseAddress} has expired or was ended", result.Err, StringComparison.Ordinal);
        Assert.Contains("Sign in again with `catty login`.", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_token_the_server_refuses_is_never_renewed_and_says_to_sign_in()
    {
        _home.SignIn(server.BaseAddress, "catty_not-a-token-of-this-server-0123456789");

        var result = await CattyProcess.RunAsync(_home, server.BaseAddress, input: null, "ls");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"error: the server at {server.BaseAddress} refused your credentials", result.Err, StringComparison.Ordinal);
        Assert.Contains("catty login", result.Err, StringComparison.Ordinal);
        Assert.NotNull(CliLogin.Stored(_home, server.BaseAddress)?.ApiToken);
    }

    [Fact]
    public async Task Logout_with_an_unreachable_server_still_deletes_and_says_the_login_was_not_ended()
    {
        var unreachable = new Uri("http://127.0.0.1:9/");
        new CredentialStore(new CattyHome(_home.Home)).Put(unreachable, new ServerCredentials(AccessToken: "access", RefreshToken: "refresh"));

        var result = await CattyProcess.RunAsync(_home, unreachable, input: null, "logout");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("could not be told to end it", result.Err, StringComparison.Ordinal);
        Assert.Contains("run `catty logout` again", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.CattyFolder, "credentials.json")));
    }

    [Fact]
    public async Task An_unreachable_server_is_named_with_how_to_choose_another()
    {
        var result = await CattyProcess.RunAsync(_home, new Uri("http://127.0.0.1:9/"), input: null, "login");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot reach the Catty server at http://127.0.0.1:9/", result.Err, StringComparison.Ordinal);
        Assert.Contains("--api", result.Err, StringComparison.Ordinal);
    }
}
