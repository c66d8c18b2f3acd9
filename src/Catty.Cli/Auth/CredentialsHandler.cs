using System.Net;
using System.Net.Http.Headers;
using Catty.Cli.Commands;
using Catty.Sdk.Api;

namespace Catty.Cli.Auth;

/// <summary>
/// Puts the stored Bearer token on every API request. When the server answers 401 to a device sign-in's
/// access token, renews it once (<c>POST /v1/auth/refresh</c>, which also replaces the refresh token), stores
/// the new pair and sends the request again; whatever the second answer is goes back to the caller. A refused
/// renewal is <see cref="SignInExpiredException"/>. The requests sent through here carry bodies that can be
/// sent twice (JSON, or nothing); uploads go elsewhere, with the session's connect token.
/// </summary>
internal sealed class CredentialsHandler(Uri server, CredentialStore store, CattyClient anonymous) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credentials = store.Get(server) ?? throw NotSignedIn();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.BearerToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !credentials.CanRefresh)
        {
            return response;
        }

        response.Dispose();
        credentials = await RenewAsync(credentials, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.BearerToken);
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<ServerCredentials> RenewAsync(ServerCredentials refused, CancellationToken ct)
    {
        using var held = await store.LockAsync();

        // Another request, or another catty, may have renewed while this one waited for the lock: then its
        // tokens are the ones to use, and presenting the spent refresh token again would end the sign-in.
        var current = store.Get(server) ?? throw NotSignedIn();
        if (current.AccessToken != refused.AccessToken || !current.CanRefresh)
        {
            return current;
        }

        TokenResponse renewed;
        try
        {
            renewed = await anonymous.RefreshAsync(current.RefreshToken!, ct);
        }
        catch (CattyApiException e) when (e.Status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new SignInExpiredException(server, e.ApiMessage);
        }

        var next = current with { AccessToken = renewed.AccessToken, RefreshToken = renewed.RefreshToken, User = renewed.User ?? current.User };
        store.Put(server, next, makeDefault: false);
        return next;
    }

    private CliFailure NotSignedIn() => new(
        $"you are not signed in to {server}.",
        "Run `catty login` (or `catty login --with-token` with an API token), or choose another server with --api or CATTY_API_ADDR.");
}
