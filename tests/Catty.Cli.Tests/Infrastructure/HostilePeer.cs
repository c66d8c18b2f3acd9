using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A session server that lies: it speaks the terminal protocol, then sends the <c>file_change</c> messages
/// given to it — the hostile ones a real agent never sends — so the CLI's refusals can be seen end to end.
/// </summary>
public sealed class HostilePeer : IAsyncDisposable
{
    public const string Label = "hostile-peer-0001";

    private readonly WebApplication _app;
    private readonly TaskCompletionSource _clientLeft = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostilePeer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public Task ClientLeft => _clientLeft.Task;

    public static async Task<HostilePeer> StartAsync(IReadOnlyList<JsonObject> changes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new HostilePeer(app);
        app.UseWebSockets();
        app.MapGet("/v1/sessions/{label}", (string label) => Results.Json(new JsonObject
        {
            ["session_id"] = Guid.NewGuid().ToString(),
            ["label"] = label,
            ["machine_id"] = "m-1",
            ["connect_url"] = $"ws://{peer.Address.Authority}/v1/sessions/{label}/connect",
            ["connect_token"] = "token",
            ["region"] = "local",
            ["status"] = "running",
            ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["machine_state"] = "started",
        }));
        app.Map("/v1/sessions/{label}/connect", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync(Encoding.UTF8.GetBytes("hostile$ "), WebSocketMessageType.Binary, true, CancellationToken.None);
            await SendAsync(socket, new JsonObject { ["type"] = "ready" });
            foreach (var change in changes)
            {
                await SendAsync(socket, change);
            }

            var buffer = new byte[4096];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        break;
                    }
                }
            }
            catch (WebSocketException)
            {
            }

            peer._clientLeft.TrySetResult();
        });
        await app.StartAsync();
        peer.Address = new Uri(app.Urls.Single() + "/");
        return peer;
    }

    public static JsonObject Write(string path, string content, int mode = 0x1A4) => new()
    {
        ["type"] = "file_change",
        ["action"] = "write",
        ["path"] = path,
        ["content"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(content)),
        ["mode"] = mode,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task SendAsync(WebSocket socket, JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
}
