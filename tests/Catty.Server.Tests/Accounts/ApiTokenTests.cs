using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Auth;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Accounts;

public class ApiTokenTests
{
    /// <summary>Where the servers of these tests keep their metadata: SQLite here, PostgreSQL in the subclass.</summary>
    private protected virtual void ChooseDatabase(ServerSetup setup)
    {
    }

    private Task<CattyTestServer> StartServerAsync(Action<ServerSetup>? configure = null) =>
        CattyTestServer.StartAsync(setup =>
        {
            ChooseDatabase(setup);
            configure?.Invoke(setup);
        });

    [Fact]
    public async Task A_personal_token_is_shown_once_stored_hashed_listed_by_name_and_revoked()
    {
        await using var server = await StartServerAsync();

        var created = await server.Client.CreateTokenAsync(new CreateApiTokenRequest("ci runner", ExpiresInDays: 30));
        var automation = server.NewClient(created.Token);
        Assert.Empty(await automation.ListSessionsAsync());
        var listed = await server.Client.ListTokensAsync();
        Assert.Contains(listed, t => t.Id == created.Id && t.Name == "ci runner" && (t.ExpiresAt - created.ExpiresAt)?.Duration() < TimeSpan.FromMilliseconds(1));
        Assert.Contains(listed, t => t.Name == "bootstrap");
        var hash = ApiTokens.Hash(created.Token);
        Assert.True(await server.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Hash == hash)));

        await server.Client.RevokeTokenAsync(created.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<CattyApiException>(() => automation.ListSessionsAsync())).Status);
        Assert.DoesNotContain(await server.Client.ListTokensAsync(), t => t.Id == created.Id);
        var again = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.RevokeTokenAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        foreach (var file in Directory.EnumerateFiles(server.DataDir.Path, "catty.db*"))
        {
            Assert.DoesNotContain(created.Token, System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Someone_elses_token_cannot_be_seen_or_revoked()
    {
        await using var server = await StartServerAsync();
        var created = await server.Client.CreateTokenAsync(new CreateApiTokenRequest("owner's"));
        var stranger = server.NewClient(await server.CreateWithTokenAsync("stranger@example.com"));

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => stranger.RevokeTokenAsync(created.Id));

        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.DoesNotContain(await stranger.ListTokensAsync(), t => t.Id == created.Id);
        Assert.Empty(await server.NewClient(created.Token).ListSessionsAsync());
    }

    [Fact]
    public async Task An_expired_personal_token_is_refused()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        var created = await server.Client.CreateTokenAsync(new CreateApiTokenRequest("short-lived", ExpiresInDays: 1));
        var automation = server.NewClient(created.Token);
        Assert.Empty(await automation.ListSessionsAsync());

        server.Clock!.Advance(TimeSpan.FromDays(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<CattyApiException>(() => automation.ListSessionsAsync())).Status);
    }

    [Theory]
    [InlineData("", null, "invalid_name")]
    [InlineData("ok", 0, "invalid_expiry")]
    [InlineData("ok", 4000, "invalid_expiry")]
    public async Task Bad_token_requests_are_400(string name, int? days, string error)
    {
        await using var server = await StartServerAsync();

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateTokenAsync(new CreateApiTokenRequest(name, days)));

        Assert.Equal((HttpStatusCode.BadRequest, error), (refused.Status, refused.Error));
    }
}

/// <summary>The same tests with the metadata in PostgreSQL.</summary>
public sealed class ApiTokenTestsOnPostgres : ApiTokenTests
{
    private protected override void ChooseDatabase(ServerSetup setup) => setup.UsePostgres();
}
