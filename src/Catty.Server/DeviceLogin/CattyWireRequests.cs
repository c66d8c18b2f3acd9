using System.Text;
using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// Catty's CLI speaks JSON to <c>/v1/auth/device</c>, <c>/v1/auth/device/token</c> and <c>/v1/auth/refresh</c> and
/// names no client or grant; OAuth endpoints read forms. This turns the JSON body into the equivalent OAuth form
/// before OpenIddict reads it, so OpenIddict does all the checking. Form bodies pass through unchanged.
/// </summary>
internal sealed class CattyWireRequests(RequestDelegate next)
{
    private const int MaxBodyBytes = 16 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.HasFormContentType || !IsCattyPath(request.Path))
        {
            await next(context);
            return;
        }

        var body = await ReadJsonAsync(request, context.RequestAborted);
        if (body is null)
        {
            await Api.Errors.BadRequest("invalid_request", "The body must be a JSON object (at most 16 KB).").ExecuteAsync(context);
            return;
        }

        var form = new Dictionary<string, string> { [Parameters.ClientId] = DeviceLoginExtensions.CliClientId };
        if (request.Path.Equals(DeviceLoginExtensions.DevicePath, StringComparison.Ordinal))
        {
            form[Parameters.Scope] = Scopes.OfflineAccess;
        }
        else if (request.Path.Equals(DeviceLoginExtensions.DeviceTokenPath, StringComparison.Ordinal))
        {
            if (StringField(body.Value, "device_code") is not { } deviceCode)
            {
                await Api.Errors.BadRequest("invalid_request", "The body needs \"device_code\".").ExecuteAsync(context);
                return;
            }

            form[Parameters.GrantType] = GrantTypes.DeviceCode;
            form[Parameters.DeviceCode] = deviceCode;
        }
        else
        {
            if (StringField(body.Value, "refresh_token") is not { } refreshToken)
            {
                await Api.Errors.BadRequest("invalid_request", "The body needs \"refresh_token\".").ExecuteAsync(context);
                return;
            }

            form[Parameters.GrantType] = GrantTypes.RefreshToken;
            form[Parameters.RefreshToken] = refreshToken;
        }

        var encoded = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        request.Body = new MemoryStream(encoded);
        request.ContentLength = encoded.Length;
        request.ContentType = "application/x-www-form-urlencoded";
        await next(context);
    }

    public static bool IsCattyPath(PathString path) =>
        path.Equals(DeviceLoginExtensions.DevicePath, StringComparison.Ordinal)
        || path.Equals(DeviceLoginExtensions.DeviceTokenPath, StringComparison.Ordinal)
        || path.Equals(DeviceLoginExtensions.RefreshPath, StringComparison.Ordinal);

    /// <summary>The body as a JSON object; an empty body counts as <c>{}</c>. Null when it is not one.</summary>
    private static async Task<JsonElement?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        if (buffer.Length == 0)
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringField(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 4096 } text
            ? text
            : null;
}
