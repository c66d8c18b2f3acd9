using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Catty.Sdk.Api;

namespace Catty.Sdk.Tests.Api;

/// <summary>A 429's <c>Retry-After</c> reaches the caller as a wait, in either of its two forms.</summary>
public sealed class RetryAfterTests
{
    [Fact]
    public async Task Seconds_are_the_wait()
    {
        var refused = await RefusedAsync(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited", TimeSpan.FromSeconds(7)), (refused.Status, refused.Error, refused.RetryAfter));
    }

    [Fact]
    public async Task A_date_counts_from_the_answers_own_date_not_from_the_callers_clock()
    {
        // A server whose clock is a year off this machine's: the wait is what it meant, 90 s.
        var serverNow = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var refused = await RefusedAsync(r =>
        {
            r.Headers.Date = serverNow;
            r.Headers.RetryAfter = new RetryConditionHeaderValue(serverNow.AddSeconds(90));
        });

        Assert.Equal(TimeSpan.FromSeconds(90), refused.RetryAfter);
    }

    [Fact]
    public async Task A_date_already_past_means_no_wait()
    {
        var serverNow = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var refused = await RefusedAsync(r =>
        {
            r.Headers.Date = serverNow;
            r.Headers.RetryAfter = new RetryConditionHeaderValue(serverNow.AddSeconds(-5));
        });

        Assert.Equal(TimeSpan.Zero, refused.RetryAfter);
    }

    private static async Task<CattyApiException> RefusedAsync(Action<HttpResponseMessage> headers)
    {
        using var http = new HttpClient(new Answer(headers)) { BaseAddress = new Uri("http://127.0.0.1/") };
        return await Assert.ThrowsAsync<CattyApiException>(() => new CattyClient(http).ListSessionsAsync());
    }

    /// <summary>Answers every request with a 429 carrying the headers under test.</summary>
    private sealed class Answer(Action<HttpResponseMessage> headers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                Content = new StringContent("""{"error":"rate_limited","message":"Too many requests."}""", Encoding.UTF8, "application/json"),
            };
            headers(response);
            return Task.FromResult(response);
        }
    }
}
