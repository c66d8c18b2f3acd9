using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.DeviceLogin;

/// <summary>Registers the CLI as OpenIddict's one client at start (after migrations), once.</summary>
internal sealed class CliClientRegistration(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(DeviceLoginExtensions.CliClientId, cancellationToken) is not null)
        {
            return;
        }

        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = DeviceLoginExtensions.CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "Catty CLI",
            Permissions =
            {
                Permissions.Endpoints.DeviceAuthorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.DeviceCode,
                Permissions.GrantTypes.RefreshToken,
            },
        }, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
