using Microsoft.Extensions.Options;

namespace Catty.Server.ExternalLogins;

/// <summary>A configured provider as the sign-in and invite pages offer it.</summary>
internal sealed record ExternalProvider(string Name, string DisplayName)
{
    public string StartUrl(string returnTo) => $"/signin/external/{Name}?return_to={Uri.EscapeDataString(returnTo)}";

    public string InviteUrl(string inviteToken) => $"/signin/external/{Name}?invite={Uri.EscapeDataString(inviteToken)}";
}

/// <summary>The providers configured under <c>Catty:Auth:Providers</c>, then GitHub when <c>Catty:Auth:GitHub</c> is set.</summary>
internal sealed class ExternalProviders(IOptions<ExternalLoginOptions> options)
{
    public IReadOnlyList<ExternalProvider> All { get; } = options.Value.Providers
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => new ExternalProvider(p.Key, p.Value.DisplayName ?? p.Key))
        .Concat(options.Value.GitHub.Enabled ? [new ExternalProvider(GitHubLogin.ProviderName, "GitHub")] : [])
        .ToList();

    public ExternalProvider? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
