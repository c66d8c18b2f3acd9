using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Catty.Server.Tests.Push;

/// <summary>One message as the loopback push service received it.</summary>
internal sealed record ReceivedPush(string Path, string? Authorization, string? ContentEncoding, string? Ttl, string? Urgency, byte[] Body);

/// <summary>
/// A push service on 127.0.0.1: every POST under <c>/push/</c> is kept for the test to decrypt and check.
/// <c>/push/gone</c> answers 410 as for an expired subscription; <c>/push/moved</c> redirects to <c>/elsewhere</c>.
/// </summary>
internal sealed class LoopbackPushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedPush> _received = Channel.CreateUnbounded<ReceivedPush>();

    private LoopbackPushService(WebApplication app) => _app = app;

    /// <summary>Where it listens; known once started.</summary>
    public Uri BaseAddress => new(_app.Urls.Single());

    /// <summary>The allow-list prefix for this service.</summary>
    public string Prefix => new Uri(BaseAddress, "/push/").ToString();

    public int ElsewhereHits { get; private set; }

    public static async Task<LoopbackPushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new LoopbackPushService(app);
        app.MapPost("/push/{id}", async (string id, HttpRequest request) =>
        {
            if (id == "moved")
            {
                return Results.Redirect("/elsewhere", permanent: false, preserveMethod: true);
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            service._received.Writer.TryWrite(new ReceivedPush(request.Path, request.Headers.Authorization, request.Headers.ContentEncoding,
                request.Headers["TTL"], request.Headers["Urgency"], body.ToArray()));
            return id == "gone" ? Results.StatusCode(410) : Results.StatusCode(201);
        });
        app.MapPost("/elsewhere", () =>
        {
            service.ElsewhereHits++;
            return Results.StatusCode(201);
        });
        await app.StartAsync();
        return service;
    }

    public async Task<ReceivedPush> NextAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(deadline.Token);
    }

    public bool TryTake(out ReceivedPush? push) => _received.Reader.TryRead(out push);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
