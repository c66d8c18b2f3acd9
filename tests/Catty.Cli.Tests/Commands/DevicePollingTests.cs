using System.Collections.Concurrent;
using System.Net;
using Catty.Cli.Auth;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Commands;

/// <summary>
/// How catty paces its device-login polls, against the real server: catty's waits run on a fake clock, so
/// every poll after the first reaches the server sooner than its interval allows, and the server answers
/// <c>slow_down</c> (429, Retry-After) as it would to a client polling too fast.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class DevicePollingTests(AccountsServer server)
{
    private static readonly TimeSpan ServerInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Each_slow_down_makes_every_later_wait_five_seconds_longer()
    {
        var clock = new TimerWatchingClock();
        var polls = new ConcurrentQueue<HttpStatusCode>();
        using var http = new HttpClient(new PollRecorder(polls) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = server.BaseAddress };
        using var err = new StringWriter();
        using var stop = new CancellationTokenSource();
        var login = new DeviceLogin(new CattyClient(http), server.BaseAddress, err, clock, new BrowserOpener(_ => null)).RunAsync(stop.Token);

        var waits = new List<TimeSpan>();
        while (waits.Count < 4)
        {
            var read = clock.Timers.ReadAsync().AsTask();
            Assert.True(await Task.WhenAny(read, login).Within("the next poll wait") == read, $"sign-in ended early: {login.Exception}\n{err}");
            waits.Add(await read);
            clock.Advance(waits[^1]);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => login);

        // Each wait follows the answers before it: the interval, plus five seconds for every slow_down so far.
        var answers = polls.ToArray();
        Assert.Equal(HttpStatusCode.OK, answers[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        for (var i = 0; i < waits.Count; i++)
        {
            var slowDowns = answers.Take(i).Count(a => a == HttpStatusCode.TooManyRequests);
            Assert.Equal(ServerInterval + TimeSpan.FromSeconds(5 * slowDowns), waits[i]);
        }

        Assert.Matches($"To sign in, open {server.BaseAddress}device and enter the code [A-Z]{{4}}-[A-Z]{{4}}", err.ToString());
    }

    /// <summary>Notes the status of every device-token poll catty sends.</summary>
    private sealed class PollRecorder(ConcurrentQueue<HttpStatusCode> polls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri?.AbsolutePath == "/v1/auth/device/token")
            {
                polls.Enqueue(response.StatusCode);
            }

            return response;
        }
    }
}
