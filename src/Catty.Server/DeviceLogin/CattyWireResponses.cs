using System.Globalization;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// Rewrites OpenIddict's answers on Catty's paths into Catty's wire shape just before they are written:
/// errors become <c>{"error", "message"}</c>, a pending device login becomes 200 <c>{"pending": true}</c>, and
/// <c>slow_down</c> becomes 429 with <c>Retry-After</c>. The standard <c>/connect/*</c> paths keep the OAuth shape.
/// </summary>
internal static class CattyWireResponses
{
    public static void Register(OpenIddictServerBuilder server)
    {
        server.AddEventHandler(DeviceResponse.Descriptor);
        server.AddEventHandler(TokenResponse.Descriptor);
    }

    private static HttpContext? CattyRequest(OpenIddictServerTransaction transaction) =>
        transaction.GetHttpRequest() is { } request && CattyWireRequests.IsCattyPath(request.Path) ? request.HttpContext : null;

    /// <summary>OAuth's <c>error_description</c> becomes the API's <c>message</c>.</summary>
    private static void ToApiError(OpenIddictResponse response)
    {
        var message = response.ErrorDescription ?? response.Error;
        response.RemoveParameter(Parameters.ErrorDescription);
        response.RemoveParameter(Parameters.ErrorUri);
        response.SetParameter("message", message);
    }

    private sealed class DeviceResponse(IOptions<Auth.AuthOptions> options) : IOpenIddictServerHandler<ApplyDeviceAuthorizationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyDeviceAuthorizationResponseContext>()
            .UseSingletonHandler<DeviceResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyDeviceAuthorizationResponseContext>.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyDeviceAuthorizationResponseContext context)
        {
            if (CattyRequest(context.Transaction) is null)
            {
                return default;
            }

            if (context.Response.Error is not null)
            {
                ToApiError(context.Response);
            }
            else if (context.Response.GetParameter(Parameters.Interval) is null)
            {
                context.Response.SetParameter(Parameters.Interval, (long)options.Value.DevicePollInterval.TotalSeconds);
            }

            return default;
        }
    }

    private sealed class TokenResponse(IOptions<Auth.AuthOptions> options) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<TokenResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (CattyRequest(context.Transaction) is not { } http || context.Response.Error is not { } error)
            {
                return default;
            }

            if (error == Errors.AuthorizationPending)
            {
                foreach (var name in new[] { Parameters.Error, Parameters.ErrorDescription, Parameters.ErrorUri })
                {
                    context.Response.RemoveParameter(name);
                }

                context.Response.SetParameter("pending", true);
                http.Response.StatusCode = StatusCodes.Status200OK;
                return default;
            }

            if (error == Errors.SlowDown)
            {
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = ((long)options.Value.DevicePollInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            ToApiError(context.Response);
            return default;
        }
    }
}
