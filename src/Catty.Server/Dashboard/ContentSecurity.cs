namespace Catty.Server.Dashboard;

/// <summary>
/// The Content-Security-Policy of everything the server serves as HTML: the dashboard's shell (and its service
/// worker) runs only this origin's scripts, the server's own pages (sign-in, invite, device approval, "not built")
/// run no script at all; none of them may eval, connect anywhere else, be framed, or change the base URL.
/// Whatever a session prints or writes reaches these pages as text, so the policy is the second wall behind
/// escaping: even text inserted as HTML by mistake could not run.
/// </summary>
internal static class ContentSecurity
{
    /// <summary>The dashboard: scripts and sockets from this origin only; xterm.js sets inline styles.</summary>
    public const string Dashboard =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>
    /// The server's own pages: no script, their one inline stylesheet. No form-action: a sign-in form's answer may
    /// redirect to an external sign-in provider, which form-action would block.
    /// </summary>
    public const string ServerPages =
        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Gives every HTML answer that set no policy of its own the server pages' policy.</summary>
    public static WebApplication UseContentSecurity(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var response = context.Response;
                if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                    && !response.Headers.ContainsKey("Content-Security-Policy"))
                {
                    response.Headers.ContentSecurityPolicy = ServerPages;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
