using System.Net;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task A_sign_in_code_sets_a_cookie_once_and_then_is_spent()
    {
        await using var server = await CattyTestServer.StartAsync();
        const string code = "ABCD-EFGH";
        await server.AddSignInCodeAsync(code, TimeSpan.FromMinutes(15));
        using var browser = Browser(server);

        using var signIn = await browser.GetAsync($"signin?code={code.ToLowerInvariant()}");
        using var again = await browser.GetAsync($"signin?code={code}");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        Assert.Contains("Signed in as owner@localhost", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task An_expired_or_unknown_sign_in_code_is_refused()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.AddSignInCodeAsync("WXYZ-2345", TimeSpan.FromMinutes(-1));
        using var browser = Browser(server);

        using var expired = await browser.GetAsync("signin?code=WXYZ-2345");
        using var unknown = await browser.GetAsync("signin?code=NOPE-NOPE");

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Not signed in", await browser.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_sign_in_attempts_are_429_in_the_error_shape()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Auth:SignInAttemptsPerMinute"] = "2");
        using var browser = Browser(server);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var refused = await browser.GetAsync("signin?code=GUES-SING");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var limited = await browser.GetAsync("signin?code=GUES-SING");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("\"error\":\"rate_limited\"", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bootstrap_token_is_stored_once_hashed_and_keeps_working_across_restarts()
    {
        using var data = new TestDataDir();
        for (var start = 0; start < 2; start++)
        {
            await using var server = await CattyTestServer.StartAsync(s => s.DataDir = data);
            Assert.Empty(await server.Client.ListSessionsAsync());
            var hash = ApiTokens.Hash(CattyTestServer.OwnerToken);
            Assert.Equal(1, await server.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.Hash == hash)));
            Assert.Equal(1, await server.WithDbAsync(db => db.Users.CountAsync()));
        }

        foreach (var file in Directory.EnumerateFiles(data.Path, "catty.db*"))
        {
            Assert.DoesNotContain(CattyTestServer.OwnerToken, System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_data_directory_and_the_server_key_are_private_to_the_user()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateShellAsync();

        // Others may pass through (each session's uid reaches its own machine folders by name) but never list or write.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(server.DataDir.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(server.DataDir.Path, "server.key")));
        Assert.Equal(32, new FileInfo(Path.Combine(server.DataDir.Path, "server.key")).Length);
    }

    private static HttpClient Browser(CattyTestServer server) =>
        new(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
}

internal static class SignInCodeSetup
{
    public static Task<int> AddSignInCodeAsync(this CattyTestServer server, string code, TimeSpan validFor) =>
        server.WithDbAsync(async db =>
        {
            var owner = await db.Users.OrderBy(u => u.CreatedAt).FirstAsync();
            db.SignInCodes.Add(new SignInCode { Hash = SignInCodes.Hash(code), UserId = owner.Id, ExpiresAt = DateTimeOffset.UtcNow + validFor });
            return await db.SaveChangesAsync();
        });
}
