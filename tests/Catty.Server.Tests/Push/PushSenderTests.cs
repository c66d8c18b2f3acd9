using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Catty.Server.Push;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Push;

/// <summary>
/// The server's pushes, read by a loopback push service the way a browser's would be: encrypted to the
/// subscription's keys, signed with the server's VAPID key, and sent only to allowed endpoints.
/// </summary>
public sealed class PushSenderTests
{
    [Fact]
    public async Task A_push_decrypts_with_the_subscriptions_keys_and_carries_the_servers_VAPID_signature()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Push:AllowedEndpoints:0"] = pushService.Prefix);
        using var receiver = WebPushReceiver.Create();
        var sender = server.App.Services.GetRequiredService<PushSender>();
        var endpoint = pushService.Prefix + "device-1";

        var delivery = await sender.SendAsync(new PushTarget(endpoint, receiver.P256dh, receiver.Auth), "{\"title\":\"brave-tiger-1234 needs you\"}", "attention", CancellationToken.None);

        Assert.Equal(new PushDelivery(PushOutcome.Delivered, 201), delivery);
        var push = await pushService.NextAsync();
        Assert.Equal("aes128gcm", push.ContentEncoding);
        Assert.Equal("{\"title\":\"brave-tiger-1234 needs you\"}", Encoding.UTF8.GetString(receiver.Decrypt(push.Body)));
        // The library names the audience by scheme and host only; the browsers' push services are all on the
        // default port, where that is exactly the origin RFC 8292 asks for.
        var signer = WebPushReceiver.VerifyVapid(push.Authorization, $"{pushService.BaseAddress.Scheme}://{pushService.BaseAddress.Host}", DateTimeOffset.UtcNow);
        using var key = JsonDocument.Parse(await (await server.Client.Http.GetAsync("/v1/push/key")).Content.ReadAsStringAsync());
        Assert.Equal(key.RootElement.GetProperty("public_key").GetString(), signer);
        Assert.Equal("3600", push.Ttl);
    }

    [Fact]
    public async Task Endpoints_off_the_allow_list_redirects_and_bad_keys_send_nothing_and_a_gone_subscription_says_so()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Push:AllowedEndpoints:0"] = pushService.Prefix);
        using var receiver = WebPushReceiver.Create();
        var sender = server.App.Services.GetRequiredService<PushSender>();
        Task<PushDelivery> Send(string endpoint, string? p256dh = null, string? auth = null) =>
            sender.SendAsync(new PushTarget(endpoint, p256dh ?? receiver.P256dh, auth ?? receiver.Auth), "{}", null, CancellationToken.None);

        Assert.Equal(PushOutcome.NotAllowed, (await Send(new Uri(pushService.BaseAddress, "/elsewhere").ToString())).Outcome);
        Assert.Equal(PushOutcome.NotAllowed, (await Send(pushService.Prefix.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "x")).Outcome);
        Assert.Equal(PushOutcome.NotAllowed, (await Send("https://fcm.googleapis.com/fcm/send/x")).Outcome);
        Assert.Equal(PushOutcome.NotAllowed, (await Send(pushService.Prefix + "device-1", p256dh: "AAAA")).Outcome);
        Assert.Equal(PushOutcome.NotAllowed, (await Send(pushService.Prefix + "device-1", auth: "not base64url!")).Outcome);
        Assert.False(pushService.TryTake(out _));

        Assert.Equal(new PushDelivery(PushOutcome.Gone, 410), await Send(pushService.Prefix + "gone"));
        var moved = await Send(pushService.Prefix + "moved");
        Assert.Equal(PushOutcome.Rejected, moved.Outcome);
        Assert.Equal(0, pushService.ElsewhereHits);
    }

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc", true)]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/abc", true)]
    [InlineData("https://web.push.apple.com/QGuQ", true)]
    [InlineData("https://wns2-par02p.notify.windows.com/w/?token=abc", true)]
    [InlineData("https://notify.windows.com/w/", false)]
    [InlineData("https://evil.example/notify.windows.com/", false)]
    [InlineData("https://fcm.googleapis.com.evil.example/fcm/send/abc", false)]
    [InlineData("https://fcm.googleapis.com@evil.example/", false)]
    [InlineData("http://fcm.googleapis.com/fcm/send/abc", false)]
    [InlineData("https://fcm.googleapis.com:8443/fcm/send/abc", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("not a url", false)]
    public void The_default_allow_list_takes_the_browsers_push_services_only(string endpoint, bool allowed) =>
        Assert.Equal(allowed, PushEndpointPolicy.Allowed(endpoint, new PushOptions().EffectiveAllowedEndpoints) is not null);

    [Fact]
    public async Task The_VAPID_key_is_made_once_kept_private_and_the_same_after_a_restart()
    {
        using var dataDir = new TestDataDir();
        string first;
        await using (var server = await CattyTestServer.StartAsync(s => s.DataDir = dataDir))
        {
            first = (await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/key")).GetProperty("public_key").GetString()!;
        }

        await using (var again = await CattyTestServer.StartAsync(s => s.DataDir = dataDir))
        {
            Assert.Equal(first, (await again.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/key")).GetProperty("public_key").GetString());
        }

        Assert.Equal(87, first.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir.Path, "push-vapid.json")));
    }
}
