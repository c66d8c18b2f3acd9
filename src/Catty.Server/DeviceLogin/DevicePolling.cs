using System.Collections.Concurrent;
using Catty.Server.Auth;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// RFC 8628 §3.5: a CLI polling for its device login faster than the interval it was given gets <c>slow_down</c>.
/// OpenIddict leaves pacing to the host; this remembers each device code's last poll (by hash, in memory).
/// </summary>
internal sealed class DevicePolling(TimeProvider time, IOptions<AuthOptions> options) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastPoll = new(StringComparer.Ordinal);

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
        .UseSingletonHandler<DevicePolling>()
        .SetOrder(int.MinValue + 50_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (!context.Request.IsDeviceCodeGrantType() || context.Request.DeviceCode is not { Length: > 0 } deviceCode)
        {
            return default;
        }

        var now = time.GetUtcNow();
        var key = Convert.ToHexString(Secrets.Hash(deviceCode));
        var interval = options.Value.DevicePollInterval;
        if (_lastPoll.TryGetValue(key, out var last) && now - last < interval)
        {
            context.Reject(error: Errors.SlowDown, description: $"Poll at most every {interval.TotalSeconds:0} seconds.");
            return default;
        }

        _lastPoll[key] = now;
        if (_lastPoll.Count > PruneAbove)
        {
            var stale = now - options.Value.DeviceCodeLifetime;
            foreach (var (code, at) in _lastPoll)
            {
                if (at < stale)
                {
                    _lastPoll.TryRemove(code, out _);
                }
            }
        }

        return default;
    }
}
