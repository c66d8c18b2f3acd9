using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catty.Server.Accounts;

/// <summary>
/// The server's own small pages (sign-in, invite, device approval): plain HTML in the dashboard's look
/// (<see cref="PageStyle"/>), one column, readable on a phone, no script. Every form carries the anti-forgery field;
/// text is always HTML-encoded here. The referrer policy is same-origin, not no-referrer: under no-referrer a browser
/// posts the forms with <c>Origin: null</c>, which the origin check must refuse.
/// </summary>
internal static class Page
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A whole page around <paramref name="body"/> (already HTML).</summary>
    public static ContentHttpResult Render(string title, string body, int status = StatusCodes.Status200OK) =>
        TypedResults.Content($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="referrer" content="same-origin">
            <meta name="theme-color" content="#0a0a0f">
            <title>{{Encode(title)}} · Catty</title>
            <style>{{PageStyle.Css}}</style>
            </head>
            <body><header class="topbar"><span class="brand" aria-hidden="true">🐱</span><span class="name">Catty</span></header>
            <main><div class="card"><h1>{{Encode(title)}}</h1>
            {{body}}
            </div></main></body></html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);

    /// <summary>The hidden anti-forgery field for a form on this request's page (sets its cookie too).</summary>
    public static string AntiforgeryField(IAntiforgery antiforgery, HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"""<input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken)}">""";
    }

    public static string Error(string? message) => message is null ? "" : $"""<p class="error" role="alert">{Encode(message)}</p>""";
}
