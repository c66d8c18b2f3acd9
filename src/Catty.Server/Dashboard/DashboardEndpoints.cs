using System.IO.Compression;
using System.Security.Claims;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Catty.Server.Dashboard;

/// <summary>
/// The web dashboard: its static files (compressed, hashed chunks cached for good, the rest revalidated),
/// and its pages <c>/</c> and <c>/sessions/{label}</c>, both the same shell. Without a build, <c>/</c> says so.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly string[] StaticPrefixes = ["/assets", "/icons"];
    private const string ManifestPath = "/manifest.webmanifest";

    /// <summary>The service worker: at the root, so its scope is the whole dashboard.</summary>
    private const string ServiceWorkerPath = "/sw.js";

    private const string ContentSecurityPolicy = ContentSecurity.Dashboard;

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.RefreshInterval >= TimeSpan.FromSeconds(1) && o.RefreshInterval <= TimeSpan.FromHours(1),
                "Catty:Dashboard:RefreshInterval must be between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = ["text/javascript", "application/javascript", "text/css", "image/svg+xml", "application/manifest+json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        return services;
    }

    /// <summary>Serves the built files; a no-op when the dashboard is not built.</summary>
    public static WebApplication UseDashboardFiles(this WebApplication app)
    {
        var dir = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.ResolvedDir;
        if (!File.Exists(Path.Combine(dir, "index.html")))
        {
            return app;
        }

        var files = new PhysicalFileProvider(dir);
        app.UseWhen(IsStaticFile, branch =>
        {
            branch.UseResponseCompression();
            branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = file =>
                {
                    var hashed = file.Context.Request.Path.StartsWithSegments("/assets/chunks", StringComparison.Ordinal);
                    file.Context.Response.Headers.CacheControl = hashed ? "public, max-age=31536000, immutable" : "no-cache";
                    file.Context.Response.Headers.XContentTypeOptions = "nosniff";
                    if (file.Context.Request.Path == ServiceWorkerPath)
                    {
                        // A worker runs under the policy of its own script's response, not the page's.
                        file.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    }
                },
            });
        });
        return app;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/sessions/{label}", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static bool IsStaticFile(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && (context.Request.Path == ManifestPath || context.Request.Path == ServiceWorkerPath || StaticPrefixes.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.Ordinal)));

    private static async Task<ContentHttpResult> ShowAsync(HttpContext context, IOptions<DashboardOptions> options, CattyDbContext db)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var index = Path.Combine(options.Value.ResolvedDir, "index.html");
        if (File.Exists(index))
        {
            // The dashboard decides about sign-in itself (GET /v1/auth/me), so the shell is the same for everyone.
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            var template = await File.ReadAllTextAsync(index, context.RequestAborted);
            return TypedResults.Content(DashboardPages.Shell(template, options.Value), "text/html; charset=utf-8");
        }

        return TypedResults.Content(DashboardPages.NotBuilt(await SignedInEmailAsync(context, db)), "text/html; charset=utf-8");
    }

    private static async Task<string?> SignedInEmailAsync(HttpContext context, CattyDbContext db)
    {
        var signedIn = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!signedIn.Succeeded || !Guid.TryParse(signedIn.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }

        return await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(context.RequestAborted);
    }
}
