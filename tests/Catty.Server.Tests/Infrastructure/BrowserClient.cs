using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// A browser as the server sees one: a cookie jar, no automatic redirects (tests look at them), the server's own
/// Origin on form posts and state changes, and the CSRF token the dashboard would send.
/// </summary>
internal sealed class BrowserClient : IDisposable
{
    private readonly CookieContainer _cookies = new();

    public BrowserClient(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        Http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>This server's origin, as a browser on its pages sends it.</summary>
    public string OwnOrigin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The sign-in cookie's attributes as the server set them (HttpOnly, SameSite...).</summary>
    public Cookie? SignInCookie => _cookies.GetAllCookies().FirstOrDefault(c => c.Name == "catty_signin");

    /// <summary>Loads the sign-in form and submits it; returns the answer (a redirect on success).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string? returnTo = null)
    {
        var page = await Http.GetStringAsync("signin" + (returnTo is null ? "" : "?return_to=" + Uri.EscapeDataString(returnTo)));
        return await PostFormAsync("signin", new Dictionary<string, string>
        {
            ["csrf_token"] = FormValue(page, "csrf_token"),
            ["return_to"] = FormValue(page, "return_to"),
            ["email"] = email,
            ["password"] = password,
        });
    }

    /// <summary>Signs in and fails the test unless the server redirected (success).</summary>
    public async Task SignInOrFailAsync(string email, string password = Users.Password)
    {
        using var answer = await SignInAsync(email, password);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", origin ?? OwnOrigin);
        return await Http.SendAsync(request);
    }

    /// <summary><c>GET /v1/auth/me</c> as the dashboard does it.</summary>
    public async Task<MeResponse> MeAsync() =>
        await Http.GetFromJsonAsync("v1/auth/me", CattyJson.Default.MeResponse) ?? throw new InvalidOperationException("empty /v1/auth/me");

    /// <summary>A state change as the dashboard sends it: own Origin and, unless told otherwise, the CSRF header.</summary>
    public async Task<HttpResponseMessage> SendApiAsync(HttpMethod method, string path, HttpContent? content = null, string? csrf = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Origin", origin ?? OwnOrigin);
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>The value of the form field named <paramref name="name"/> in <paramref name="html"/>.</summary>
    public static string FormValue(string html, string name) => HtmlForm.Value(html, name);

    public void Dispose() => Http.Dispose();
}
