using System.Collections.Concurrent;
using Catty.Server.Api;
using Catty.Server.Auth;
using Microsoft.Extensions.Options;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// Limits device-code creation (<c>/v1/auth/device</c> and <c>/connect/device</c>) per client address:
/// each code is a database row and a pending login, and nobody needs more than a few a minute. Past
/// <see cref="AuthOptions.DeviceCodesPerMinute"/> the answer is 429 <c>rate_limited</c> with <c>Retry-After</c>.
/// Windows are kept per address in memory and run on the injected clock.
/// </summary>
internal sealed class DeviceCodeThrottle(RequestDelegate next, TimeProvider time, IOptions<AuthOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Counter> _byAddress = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method) && IsDeviceCodePath(context.Request.Path)
            && Acquire(context.Connection.RemoteIpAddress?.ToString() ?? "") is { } retryAfter)
        {
            Errors.SetRetryAfter(context.Response, retryAfter);
            await Errors.TooMany("rate_limited", $"Too many sign-in codes asked for from this address (at most {options.Value.DeviceCodesPerMinute} a minute); wait a minute and try again.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsDeviceCodePath(PathString path) =>
        path.Equals(DeviceLoginExtensions.DevicePath, StringComparison.Ordinal)
        || path.Equals("/connect/device", StringComparison.Ordinal);

    /// <summary>Counts one code for <paramref name="address"/>; null when allowed, else how long until the window ends.</summary>
    private TimeSpan? Acquire(string address)
    {
        var now = time.GetUtcNow();
        var counter = _byAddress.GetOrAdd(address, _ => new Counter(now));
        TimeSpan? refused;
        lock (counter)
        {
            if (now - counter.Start >= Window)
            {
                counter.Start = now;
                counter.Count = 0;
            }

            refused = counter.Count < options.Value.DeviceCodesPerMinute ? null : counter.Start + Window - now;
            if (refused is null)
            {
                counter.Count++;
            }
        }

        if (_byAddress.Count > PruneAbove)
        {
            foreach (var (key, value) in _byAddress)
            {
                if (now - value.Start >= Window)
                {
                    _byAddress.TryRemove(key, out _);
                }
            }
        }

        return refused;
    }

    private sealed class Counter(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }
}
