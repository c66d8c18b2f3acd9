using System.Buffers.Text;
using System.Net;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;

namespace Catty.Server.Push;

/// <summary>Where one push goes: a browser's PushSubscription (endpoint and its two keys, base64url).</summary>
internal sealed record PushTarget(string Endpoint, string P256dh, string Auth)
{
    /// <summary>Null when the keys are what browsers make (a P-256 point and a 16-byte secret), else why not.</summary>
    public string? KeyProblem()
    {
        if (!TryDecode(P256dh, out var point) || point.Length != 65 || point[0] != 0x04)
        {
            return "keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)";
        }

        return TryDecode(Auth, out var secret) && secret.Length == 16 ? null : "keys.auth must be 16 bytes, base64url";
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length is 0 or > 128)
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(text.TrimEnd('='));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>What became of one push.</summary>
internal enum PushOutcome
{
    /// <summary>The push service took it (2xx).</summary>
    Delivered,

    /// <summary>The subscription is gone (404 or 410): drop it.</summary>
    Gone,

    /// <summary>The push service refused it for another reason (the status says which).</summary>
    Rejected,

    /// <summary>The push service did not answer in time or could not be reached.</summary>
    Unreachable,

    /// <summary>The endpoint is not on the allow-list; nothing was sent.</summary>
    NotAllowed,
}

/// <summary>The result of one delivery: the outcome and, when the push service answered, its status.</summary>
internal sealed record PushDelivery(PushOutcome Outcome, int? Status = null);

/// <summary>
/// Posts encrypted pushes (RFC 8291 <c>aes128gcm</c>, VAPID per RFC 8292) to allowed push services only,
/// with a client that never follows a redirect, so nothing a subscription says makes the server call
/// another address.
/// </summary>
internal sealed class PushSender(IHttpClientFactory clients, VapidKeys keys, IOptions<PushOptions> options, IOptions<CattyOptions> catty, ILogger<PushSender> logger)
{
    public const string HttpClientName = "push";

    public async Task<PushDelivery> SendAsync(PushTarget target, string payload, string? topic, CancellationToken cancellationToken)
    {
        if (PushEndpointPolicy.Allowed(target.Endpoint, options.Value.EffectiveAllowedEndpoints) is null || target.KeyProblem() is not null)
        {
            return new PushDelivery(PushOutcome.NotAllowed);
        }

        var client = new PushServiceClient(clients.CreateClient(HttpClientName))
        {
            DefaultAuthentication = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = Subject() },
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
        };
        var subscription = new PushSubscription { Endpoint = target.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, target.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, target.Auth);
        var message = new PushMessage(payload) { TimeToLive = options.Value.TimeToLiveSeconds, Urgency = PushMessageUrgency.High, Topic = topic };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.DeliveryTimeout);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, deadline.Token);
            return new PushDelivery(PushOutcome.Delivered, 201);
        }
        catch (PushServiceClientException ex)
        {
            var status = (int)ex.StatusCode;
            logger.LogInformation("Push service answered {Status} for a subscription", status);
            return ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
                ? new PushDelivery(PushOutcome.Gone, status)
                : new PushDelivery(PushOutcome.Rejected, status);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
        {
            logger.LogInformation("Push service unreachable: {Message}", ex.Message);
            return new PushDelivery(PushOutcome.Unreachable);
        }
    }

    private string Subject() =>
        options.Value.Subject is { Length: > 0 } subject ? subject
        : catty.Value.PublicUrl is { Length: > 0 } url && url.StartsWith("https:", StringComparison.Ordinal) ? url
        : "mailto:catty@localhost";
}
