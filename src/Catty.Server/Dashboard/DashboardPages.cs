using System.Globalization;
using System.Net;

namespace Catty.Server.Dashboard;

/// <summary>The HTML the server itself writes: the dashboard's shell with its settings, or the "not built" page.</summary>
internal static class DashboardPages
{
    /// <summary>Placeholder in web/public/index.html that the server fills with the refresh interval.</summary>
    private const string RefreshPlaceholder = "%CATTY_REFRESH_SECONDS%";

    public static string Shell(string template, DashboardOptions options) =>
        template.Replace(RefreshPlaceholder, Math.Round(options.RefreshInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static string NotBuilt(string? signedInEmail) => $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>Catty</title></head>
        <body style="background:#0a0a0f;color:#e8e8f0;font-family:system-ui,sans-serif;padding:1rem;max-width:40rem">
        <h1>Catty</h1>
        {(signedInEmail is null
            ? """<p>Not signed in: <a href="/signin">sign in</a>, or open the one-time link that <code>catty-server</code> prints when it starts.</p>"""
            : $"<p>Signed in as {WebUtility.HtmlEncode(signedInEmail)}.</p>")}
        <p>The dashboard is not built into this server (it was built with <code>-p:CattyWebBuild=false</code>, or without
        Node.js). Run <code>make dev</code> to build it with the server. The API is at <code>/v1</code>
        (<a style="color:#00ff88" href="/openapi/v1.json">OpenAPI</a>) and the <code>catty</code> CLI works as usual.</p>
        </body></html>
        """;
}
