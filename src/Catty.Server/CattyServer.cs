using Catty.Server.Api;
using Catty.Server.Attention;
using Catty.Server.Auth;
using Catty.Server.CodingAgents;
using Catty.Server.Dashboard;
using Catty.Server.Push;
using Catty.Server.Regions;
using Catty.Server.Relay;
using Catty.Server.Runtimes;
using Catty.Server.Scheduling;
using Catty.Server.Sessions;
using Catty.Server.Snapshots;
using Catty.Server.Storage;
using Catty.Server.Workspaces;
using Microsoft.Extensions.Configuration.Memory;

namespace Catty.Server;

/// <summary>
/// The table of contents of catty-server. Program runs it; tests call the same two steps and may replace
/// services (e.g. TimeProvider) or add configuration in between.
/// </summary>
internal static class CattyServer
{
    /// <summary>Loopback unless told otherwise (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, Kestrel endpoints).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,

            // appsettings.json ships next to the binary; the working directory is wherever the user is.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Catty:DataDir"] = DataDirectory.Default() },
        });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data-dir"] = "Catty:DataDir" });
        if (!HasConfiguredEndpoints(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // OpenIddict logs whole token responses at Information and token reference ids at Trace: credentials, so
        // only its warnings and errors are let through, whatever the configured level.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);

        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);

        builder.Services.AddOptions<CattyOptions>().BindConfiguration(CattyOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.PublicUrl) || Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out _),
                "Catty:PublicUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddApiShape();
        builder.Services.AddOpenApi();
        builder.Services.AddStorage();
        builder.Services.AddAuth();
        builder.Services.AddRuntimes();
        builder.Services.AddRegions();
        builder.Services.AddCodingAgents();
        builder.Services.AddSessions();
        builder.Services.AddRelay();
        builder.Services.AddScheduling();
        builder.Services.AddAttention();
        builder.Services.AddPush();
        builder.Services.AddSnapshots(builder.Configuration);
        builder.Services.AddDashboard();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseApiShape();
        app.UseContentSecurity();
        app.UseDashboardFiles();
        app.UseAuth();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapDashboard();
        app.MapAuth();
        app.MapRegions();
        app.MapCodingAgents();
        app.MapAttention();
        app.MapPush();
        app.MapSessions();
        app.MapAdminSessions();
        app.MapTickets();
        app.MapRelay();
        app.MapUploads();
        app.MapSnapshots();
        return app;
    }

    private static bool HasConfiguredEndpoints(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"])
        || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
