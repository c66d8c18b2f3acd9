using System.Net;
using Catty.Cli.Commands;
using Catty.Sdk.Api;

namespace Catty.Cli.Auth;

/// <summary>
/// The device sign-in (RFC 8628 as DESIGN.md shapes it): ask for a code, show it with its link (and open the
/// browser when there is one), then poll at the server's interval until the person approves or denies it in a
/// signed-in browser, or the code expires. A <c>slow_down</c> (429) adds five seconds to the interval for good,
/// and the next poll also waits at least the answer's <c>Retry-After</c>.
/// </summary>
internal sealed class DeviceLogin(CattyClient anonymous, Uri server, TextWriter err, TimeProvider time, BrowserOpener browser)
{
    private static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);

    public async Task<ServerCredentials> RunAsync(CancellationToken ct)
    {
        var code = await StartAsync(ct);
        err.WriteLine($"To sign in, open {code.VerificationUri} and enter the code {code.UserCode}");
        err.WriteLine($"  or open {code.VerificationUriComplete}");
        if (browser.TryOpen(code.VerificationUriComplete))
        {
            err.WriteLine("Opened your browser.");
        }

        err.WriteLine("Waiting for you to approve...");
        var interval = TimeSpan.FromSeconds(Math.Max(1, code.Interval));
        var wait = interval;
        var deadline = time.GetUtcNow().AddSeconds(Math.Max(1, code.ExpiresIn));
        while (true)
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw Expired();
            }

            await Task.Delay(wait, time, ct);
            var answer = await anonymous.PollDeviceLoginAsync(code.DeviceCode, ct);
            wait = interval;
            switch (answer)
            {
                case { IsApproved: true }:
                    return new ServerCredentials(AccessToken: answer.AccessToken, RefreshToken: answer.RefreshToken, User: answer.User);
                case { IsPending: true }:
                    break;
                case { Error: "slow_down" }:
                    interval += SlowDownStep;
                    wait = answer.RetryAfter is { } after && after > interval ? after : interval;
                    break;
                case { Error: "access_denied" }:
                    throw new CliFailure("the sign-in was denied in the browser.", "Run `catty login` again and approve the code.");
                case { Error: "expired_token" }:
                    throw Expired();
                default:
                    throw new CliFailure(
                        $"the server refused the sign-in: {answer.Error ?? "its answer held no tokens"}{(answer.Message is { } m ? $" ({m})" : "")}.",
                        "Run `catty login` again; if it keeps failing, check the server's log.");
            }
        }
    }

    private async Task<DeviceAuthorization> StartAsync(CancellationToken ct)
    {
        try
        {
            return await anonymous.StartDeviceLoginAsync(ct);
        }
        catch (CattyApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new CliFailure(
                $"the server at {server} does not offer device sign-in ({(int)e.Status} {e.Error}).",
                "Sign in with an API token instead: `catty login --with-token` reads it from standard input.");
        }
    }

    private static CliFailure Expired() => new("the sign-in code expired before it was approved.", "Run `catty login` again and approve the new code sooner.");
}
