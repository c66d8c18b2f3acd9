using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Push;

/// <summary>
/// <c>/v1/push/subscriptions</c>: a browser's PushSubscription is kept for its owner with the events it wants,
/// refused with a clear 400 when malformed or aimed anywhere but an allowed push service, bounded per user.
/// </summary>
public class PushSubscriptionTests
{
    private protected virtual void ChooseDatabase(ServerSetup setup)
    {
    }

    [Fact]
    public async Task A_subscription_is_added_updated_listed_per_owner_and_removed_by_its_endpoint()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await StartAsync(pushService);
        using var receiver = WebPushReceiver.Create();
        var endpoint = pushService.Prefix + "phone-1";

        using (var added = await PostAsync(server.Client.Http, Subscription(endpoint, receiver.P256dh, receiver.Auth)))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            using var body = JsonDocument.Parse(await added.Content.ReadAsStringAsync());
            Assert.Equal(endpoint, body.RootElement.GetProperty("endpoint").GetString());
            Assert.Equal(["needs_input", "idle", "stopped", "expiring"], Events(body.RootElement));
        }

        // The browser's own JSON carries expirationTime in camelCase; the dashboard adds the switches.
        using (var switched = await PostAsync(server.Client.Http,
            $$$"""{"endpoint":"{{{endpoint}}}","expirationTime":null,"keys":{"p256dh":"{{{receiver.P256dh}}}","auth":"{{{receiver.Auth}}}"},"events":["stopped","needs_input"]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        }

        var listed = Assert.Single((await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());
        Assert.Equal(["needs_input", "stopped"], Events(listed));
        Assert.Equal(JsonValueKind.Undefined, listed.TryGetProperty("last_outcome", out var never) ? never.ValueKind : JsonValueKind.Undefined);

        var otherToken = await server.CreateWithTokenAsync("other@example.com");
        var other = server.NewClient(otherToken);
        Assert.Empty((await other.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());
        using (var notTheirs = await other.Http.DeleteAsync("/v1/push/subscriptions?endpoint=" + Uri.EscapeDataString(endpoint)))
        {
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        }

        using (var removed = await server.Client.Http.DeleteAsync("/v1/push/subscriptions?endpoint=" + Uri.EscapeDataString(endpoint)))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        Assert.Empty((await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());
    }

    [Fact]
    public async Task Malformed_subscriptions_and_endpoints_off_the_allow_list_get_a_clear_400_and_change_nothing()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await StartAsync(pushService, s => s.Settings["Catty:Push:MaxSubscriptionsPerUser"] = "2");
        using var receiver = WebPushReceiver.Create();
        var (key, auth) = (receiver.P256dh, receiver.Auth);
        var ok = pushService.Prefix + "phone-1";

        var cases = new (string Body, string Error, string Says)[]
        {
            ("""{"endpoint":"x"}""", "invalid_subscription", "endpoint, keys.p256dh and keys.auth"),
            ("{\"keys\":{\"p256dh\":\"" + key + "\",\"auth\":\"" + auth + "\"}}", "invalid_subscription", "endpoint, keys.p256dh"),
            (Subscription(new Uri(pushService.BaseAddress, "/elsewhere").ToString(), key, auth), "endpoint_not_allowed", "Catty:Push:AllowedEndpoints"),
            (Subscription("http://169.254.169.254/latest/meta-data/", key, auth), "endpoint_not_allowed", "not a push service"),
            (Subscription("file:///etc/passwd", key, auth), "endpoint_not_allowed", "not a push service"),
            (Subscription(ok + new string('a', 3000), key, auth), "endpoint_not_allowed", "not a push service"),
            (Subscription(ok, "AAAA", auth), "invalid_subscription", "keys.p256dh must be an uncompressed P-256"),
            (Subscription(ok, key, "not base64url!"), "invalid_subscription", "keys.auth must be 16 bytes"),
            (Subscription(ok, key, auth, "\"needs_input\",\"<script>\""), "invalid_subscription", "Unknown event '<script>'"),
            ("{not json", "invalid_request", "could not be read"),
            ("[]", "invalid_request", "could not be read"),
        };
        foreach (var (body, error, says) in cases)
        {
            using var refused = await PostAsync(server.Client.Http, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            using var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
            Assert.Contains(says, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var huge = await PostAsync(server.Client.Http, Subscription(ok, key, auth) + new string(' ', 10_000)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        using (var missing = await server.Client.Http.DeleteAsync("/v1/push/subscriptions"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }

        Assert.Empty((await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());

        // Bounded per user: a third browser is refused, the same browser again is an update, not a new one.
        for (var i = 1; i <= 2; i++)
        {
            using var added = await PostAsync(server.Client.Http, Subscription(pushService.Prefix + "phone-" + i, key, auth));
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        using (var third = await PostAsync(server.Client.Http, Subscription(pushService.Prefix + "phone-3", key, auth)))
        {
            Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
            Assert.Equal("too_many_subscriptions", (await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        using (var again = await PostAsync(server.Client.Http, Subscription(pushService.Prefix + "phone-2", key, auth, "\"idle\"")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(2, (await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).GetArrayLength());
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var noToken = await PostAsync(anonymous, Subscription(ok, key, auth));
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
    }

    internal static string Subscription(string endpoint, string p256dh, string auth, string? events = null) =>
        "{\"endpoint\":" + JsonSerializer.Serialize(endpoint)
        + ",\"keys\":{\"p256dh\":" + JsonSerializer.Serialize(p256dh) + ",\"auth\":" + JsonSerializer.Serialize(auth) + "}"
        + (events is null ? "" : ",\"events\":[" + events + "]") + "}";

    internal static Task<HttpResponseMessage> PostAsync(HttpClient http, string json, string path = "/v1/push/subscriptions") =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static string[] Events(JsonElement subscription) =>
        [.. subscription.GetProperty("events").EnumerateArray().Select(e => e.GetString()!)];

    private Task<CattyTestServer> StartAsync(LoopbackPushService pushService, Action<ServerSetup>? configure = null) =>
        CattyTestServer.StartAsync(s =>
        {
            ChooseDatabase(s);
            s.Settings["Catty:Push:AllowedEndpoints:0"] = pushService.Prefix;
            configure?.Invoke(s);
        });
}

/// <summary>The same tests with the metadata in PostgreSQL.</summary>
public sealed class PushSubscriptionTestsOnPostgres : PushSubscriptionTests
{
    private protected override void ChooseDatabase(ServerSetup setup) => setup.UsePostgres();
}
