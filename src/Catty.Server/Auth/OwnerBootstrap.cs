using Catty.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Auth;

/// <summary>
/// On first start the server creates its owner and prints an API token (shown once) and a one-time sign-in link;
/// later starts print a fresh sign-in link only. The owner then sets a password and invites people.
/// </summary>
internal sealed class OwnerBootstrap(
    IServiceScopeFactory scopes,
    IOptions<AuthOptions> authOptions,
    IOptions<CattyOptions> cattyOptions,
    IServer server,
    TimeProvider time,
    ILogger<OwnerBootstrap> logger) : IHostedLifecycleService
{
    private string? _newToken;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureOwnerAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Replicas starting together on one empty database: another one created the owner (or the bootstrap
            // token) first. Looking again finds theirs.
            _newToken = null;
            await EnsureOwnerAsync(cancellationToken);
        }
    }

    private async Task EnsureOwnerAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var owner = await FindOwnerAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        if (owner is null)
        {
            owner = new User
            {
                Id = Guid.NewGuid(),
                Email = Accounts.EmailAddress.Normalize(authOptions.Value.OwnerEmail),
                DisplayName = "Owner",
                Role = Accounts.Roles.Owner,
                CreatedAt = now,
            };
            db.Users.Add(owner);
            logger.LogInformation("Created the owner account {Email}", owner.Email);
            if (authOptions.Value.BootstrapToken is null)
            {
                _newToken = ApiTokens.Generate();
                db.ApiTokens.Add(NewToken(owner.Id, _newToken, "first start", now));
            }
        }

        if (authOptions.Value.BootstrapToken is { } bootstrap)
        {
            var hash = ApiTokens.Hash(bootstrap);
            if (!await db.ApiTokens.AnyAsync(t => t.Hash == hash, cancellationToken))
            {
                db.ApiTokens.Add(NewToken(owner.Id, bootstrap, "bootstrap", now));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Runs once Kestrel listens, so the printed link names the real port.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var now = time.GetUtcNow();
        var owner = await FindOwnerAsync(db, cancellationToken) ?? throw new InvalidOperationException("The owner account is missing.");
        var code = SignInCodes.Generate();
        await db.SignInCodes.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.SignInCodes.Add(new SignInCode { Hash = SignInCodes.Hash(code), UserId = owner.Id, ExpiresAt = now + authOptions.Value.SignInCodeLifetime });
        await db.SaveChangesAsync(cancellationToken);

        var baseUrl = BaseUrl();
        var banner = new System.Text.StringBuilder()
            .AppendLine()
            .AppendLine($"Catty is running at {baseUrl}")
            .AppendLine($"  Sign in as {owner.Email} (one-time link, valid {authOptions.Value.SignInCodeLifetime.TotalMinutes:0} minutes):")
            .AppendLine($"    {baseUrl}/signin?code={code}");
        var reachable = FirstContact.ReachableUrls(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [], FirstContact.InterfaceAddresses());
        if (reachable.Count > 0)
        {
            banner.AppendLine("  From another device (a phone on the same network):");
            foreach (var url in reachable)
            {
                banner.AppendLine($"    {url}");
            }

            // The configured public address when there is one (behind a proxy or a tunnel), else the first one here.
            var phoneUrl = cattyOptions.Value.PublicUrl is { Length: > 0 } ? baseUrl : reachable[0];
            banner.AppendLine($"  Scan to sign in on a phone ({phoneUrl}):")
                .Append(FirstContact.QrCode($"{phoneUrl}/signin?code={code}", colours: !Console.IsOutputRedirected));
        }

        if (_newToken is not null)
        {
            banner.AppendLine("  API token (shown once; it is stored hashed):")
                .AppendLine($"    {_newToken}");
            _newToken = null;
        }

        await Console.Out.WriteLineAsync(banner.ToString());
        await Console.Out.FlushAsync(cancellationToken);
    }

    private static Task<User?> FindOwnerAsync(CattyDbContext db, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Role == Accounts.Roles.Owner).OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(cancellationToken);

    private string BaseUrl()
    {
        if (cattyOptions.Value.PublicUrl is { Length: > 0 } publicUrl)
        {
            return publicUrl.TrimEnd('/');
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault() ?? CattyServer.DefaultUrl;
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{uri.Port}";
    }

    private static ApiToken NewToken(Guid userId, string token, string name, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), UserId = userId, Hash = ApiTokens.Hash(token), Name = name, CreatedAt = now };

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
