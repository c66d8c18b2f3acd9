using System.Threading.RateLimiting;
using Catty.Server.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Catty.Server.Sessions;

/// <summary>Session creation is limited per user per minute; past it the answer is 429 with <c>Retry-After</c>.</summary>
internal static class SessionRateLimits
{
    public const string CreatePolicy = "session-create";

    public static void Add(RateLimiterOptions limiter) =>
        limiter.AddPolicy(CreatePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
            CurrentUser.IdOf(http.User)?.ToString() ?? http.Connection.RemoteIpAddress?.ToString() ?? "",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = http.RequestServices.GetRequiredService<IOptions<SessionOptions>>().Value.CreatesPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
}
