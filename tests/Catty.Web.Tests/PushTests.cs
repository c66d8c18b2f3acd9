using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>
/// Notifications on the phone: the panel subscribes this browser and the subscription with its switches reaches
/// the server; the service worker shows a push Chromium delivers to it as a notification; the session page
/// tells the server it is shown. What a tap does is tested against the worker's code in web/test/push.test.ts. Headless Chromium has no push service, so PushManager.subscribe is answered
/// in the page with a subscription of made-up keys; the server's side of delivery is tested with a loopback
/// push service in Catty.Server.Tests.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PushTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task The_panel_subscribes_with_its_switches_the_worker_shows_a_delivered_push_and_the_session_page_reports_itself_shown()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        await dashboard.Context.GrantPermissionsAsync(["notifications"]);
        var endpoint = "https://fcm.googleapis.com/fcm/send/catty-test-" + Guid.NewGuid().ToString("N");
        using (var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))
        {
            var point = key.ExportParameters(false).Q;
            var subscription = JsonSerializer.Serialize(new
            {
                endpoint,
                expirationTime = (string?)null,
                keys = new { p256dh = Base64Url.EncodeToString([0x04, .. point.X!, .. point.Y!]), auth = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)) },
            });
            await dashboard.Context.AddInitScriptAsync($$"""
                (() => {
                  let current = null;
                  PushManager.prototype.subscribe = async function (options) {
                    window.cattyServerKey = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
                    const json = {{subscription}};
                    current = { endpoint: json.endpoint, toJSON: () => json, unsubscribe: async () => { current = null; return true; } };
                    return current;
                  };
                  PushManager.prototype.getSubscription = async function () { return current; };
                })();
                """);
        }

        await dashboard.Page.ReloadAsync();
        await dashboard.Page.GetByText("Notifications", new() { Exact = true }).ClickAsync();
        await Expect(dashboard.Page.Locator(".push-state")).ToHaveTextAsync("Off for this browser.");
        await dashboard.Page.GetByLabel("Finished its turn").UncheckAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(dashboard.Page.Locator(".push-state")).ToHaveTextAsync("On for this browser.");

        var stored = Assert.Single((await account.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());
        Assert.Equal(endpoint, stored.GetProperty("endpoint").GetString());
        Assert.Equal(["needs_input", "stopped", "expiring"], stored.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var serverKey = (await account.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/key")).GetProperty("public_key").GetString();
        Assert.Equal(serverKey, await dashboard.Page.EvaluateAsync<string>("() => window.cattyServerKey"));

        // A switch changed later is saved at once.
        await dashboard.Page.GetByLabel("Stops in 10 minutes").UncheckAsync();
        await Expect(dashboard.Page.Locator(".push-state")).ToHaveTextAsync("Saved.");
        stored = Assert.Single((await account.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());
        Assert.Equal(["needs_input", "stopped"], stored.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        // The worker, woken by Chromium's own push delivery (DevTools' ServiceWorker.deliverPushMessage): a hostile
        // message shows nothing; the server's shows its title and text, and the path is made from the label
        // (a url in the message is not used).
        var cdp = await dashboard.Context.NewCDPSessionAsync(dashboard.Page);
        var registrationId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, update) =>
        {
            foreach (var registration in update?.GetProperty("registrations").EnumerateArray() ?? default)
            {
                if (!registration.GetProperty("isDeleted").GetBoolean())
                    registrationId.TrySetResult(registration.GetProperty("registrationId").GetString()!);
            }
        };
        await cdp.SendAsync("ServiceWorker.enable");
        var origin = shared.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var registered = await registrationId.Task.Within("the service worker's registration");
        Task PushAsync(string data) => cdp.SendAsync("ServiceWorker.deliverPushMessage",
            new() { ["origin"] = origin, ["registrationId"] = registered, ["data"] = data });
        await PushAsync("<img src=x onerror=alert(1)>");
        await PushAsync(JsonSerializer.Serialize(new { @event = "pwned", session_id = "x", label = "x", title = "x" }));
        await PushAsync(JsonSerializer.Serialize(new
        {
            @event = "needs_input",
            session_id = session.SessionId,
            label = session.Label,
            title = session.Label + " needs you",
            body = "It asks a question or for a permission.",
            url = "https://evil.example/",
        }));
        var shown = await dashboard.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const registration = await navigator.serviceWorker.ready;
              for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise(r => setTimeout(r, 50))) {
                const found = await registration.getNotifications();
                if (found.length > 0) return found.map(n => ({ title: n.title, body: n.body, tag: n.tag, url: n.data.url }));
              }
              return [];
            }
            """);
        var notification = Assert.Single(shown.EnumerateArray());
        Assert.Equal($"{session.Label} needs you", notification.GetProperty("title").GetString());
        Assert.Equal("It asks a question or for a permission.", notification.GetProperty("body").GetString());
        Assert.Equal(session.SessionId.ToString(), notification.GetProperty("tag").GetString());
        Assert.Equal($"/sessions/{session.Label}", notification.GetProperty("url").GetString());

        // Off again: gone from the browser and from the server.
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Turn off" }).ClickAsync();
        await Expect(dashboard.Page.Locator(".push-state")).ToHaveTextAsync("Off for this browser.");
        Assert.Empty((await account.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray());

        // The session page tells the server it shows the session, visibly, so no push goes out about it.
        var presence = dashboard.Page.WaitForRequestAsync(r => r.Url.EndsWith("/v1/push/presence", StringComparison.Ordinal) && (r.PostData ?? "").Contains(session.Label, StringComparison.Ordinal));
        await dashboard.OpenSessionAsync(session.Label);
        using (var report = JsonDocument.Parse((await presence).PostData!))
        {
            Assert.True(report.RootElement.GetProperty("visible").GetBoolean());
        }

        using var http = shared.Server.Anonymous();
        using var script = await http.GetAsync("sw.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", script.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
