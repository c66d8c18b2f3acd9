using System.Threading.RateLimiting;
using Catty.Server.Api;
using Catty.Server.Auth;
using Microsoft.Extensions.Options;

namespace Catty.Server.Accounts;

/// <summary>
/// Throttles guessing: every sign-in attempt (password or link) counts against the client address, and every
/// failed password counts against the account, so spreading guesses over addresses does not help either.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private static readonly TimeSpan AccountWindow = TimeSpan.FromMinutes(15);

    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInThrottle(IOptions<AuthOptions> options)
    {
        var perMinute = options.Value.SignInAttemptsPerMinute;
        var perAccount = options.Value.FailedSignInsPerAccount;
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _perAccount = PartitionedRateLimiter.Create<string, string>(email => RateLimitPartition.GetFixedWindowLimiter(email,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perAccount, Window = AccountWindow, QueueLimit = 0 }));
    }

    /// <summary>Counts an attempt from the request's address; the 429 to answer when there were too many.</summary>
    public ErrorResult? Attempt(HttpContext context) =>
        Refusal(_perAddress.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? ""), context);

    /// <summary>Whether the account is throttled after failures (does not count anything).</summary>
    public ErrorResult? CheckAccount(string email, HttpContext context)
    {
        var statistics = _perAccount.GetStatistics(email);
        return statistics is { CurrentAvailablePermits: <= 0 }
            ? WithRetryAfter(context, AccountWindow)
            : null;
    }

    /// <summary>Counts a failed password for the account.</summary>
    public void Failed(string email) => _perAccount.AttemptAcquire(email).Dispose();

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }

    private static ErrorResult? Refusal(RateLimitLease lease, HttpContext context)
    {
        using (lease)
        {
            return lease.IsAcquired ? null : WithRetryAfter(context, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1));
        }
    }

    private static ErrorResult WithRetryAfter(HttpContext context, TimeSpan after)
    {
        Errors.SetRetryAfter(context.Response, after);
        return Errors.TooMany("rate_limited", "Too many sign-in attempts; wait a while and try again.");
    }
}
