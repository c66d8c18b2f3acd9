using Catty.Server.Api;
using Microsoft.AspNetCore.Antiforgery;

namespace Catty.Server.Auth;

/// <summary>
/// Every <c>/v1</c> request that a browser cookie authenticated must come from this server's own pages: a foreign
/// <c>Origin</c> is refused (403 <c>forbidden_origin</c>) and a state change needs the <c>X-CSRF-Token</c> that
/// <c>GET /v1/auth/me</c> hands out (403 <c>csrf_failed</c>). Bearer calls need neither: a page on another site
/// cannot make a browser send a Bearer token it does not have.
/// </summary>
internal sealed class CookieRequestGuard(RequestDelegate next)
{
    public const string HeaderName = "X-CSRF-Token";

    public async Task InvokeAsync(HttpContext context, OwnOrigin origin, IAntiforgery antiforgery)
    {
        if (!context.Request.Path.StartsWithSegments("/v1") || !AuthSchemes.IsCookie(context))
        {
            await next(context);
            return;
        }

        if (!origin.AllowsMissingOrOwn(context.Request))
        {
            await Errors.Forbidden("forbidden_origin", "Requests from other sites are refused.").ExecuteAsync(context);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method) && !await antiforgery.IsRequestValidAsync(context))
        {
            await Errors.Forbidden("csrf_failed", $"A signed-in browser must send the {HeaderName} header from GET /v1/auth/me.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
