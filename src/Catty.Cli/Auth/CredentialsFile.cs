using System.Text.Json.Serialization;
using Catty.Sdk.Api;

namespace Catty.Cli.Auth;

/// <summary>
/// <c>~/.catty/credentials.json</c>: what catty signs in with, per server, so that credentials for one
/// server are never sent to another. An entry holds either an API token (<c>catty login --with-token</c>)
/// or the tokens of a device sign-in (<c>catty login</c>).
/// </summary>
/// <param name="DefaultServer">The server used when neither --api nor CATTY_API_ADDR names one: the last one signed in to.</param>
/// <param name="Servers">Entries keyed by the server's normalized address (see <see cref="Config.ApiAddress"/>).</param>
internal sealed record CredentialsFile(int Version, string? DefaultServer, Dictionary<string, ServerCredentials> Servers)
{
    public const int CurrentVersion = 1;

    public static CredentialsFile Empty => new(CurrentVersion, null, new Dictionary<string, ServerCredentials>(StringComparer.Ordinal));
}

/// <summary>One server's credentials.</summary>
/// <param name="ApiToken">A long-lived API token; never refreshed, and logout leaves it valid on the server.</param>
/// <param name="AccessToken">A device sign-in's short-lived token.</param>
/// <param name="RefreshToken">Exchanged once for a new pair when the server answers 401 to <paramref name="AccessToken"/>.</param>
/// <param name="User">Who signed in, as the server said.</param>
internal sealed record ServerCredentials(
    string? ApiToken = null,
    string? AccessToken = null,
    string? RefreshToken = null,
    UserRef? User = null)
{
    /// <summary>The token to send as Bearer.</summary>
    [JsonIgnore]
    public string? BearerToken => ApiToken ?? AccessToken;

    [JsonIgnore]
    public bool CanRefresh => ApiToken is null && RefreshToken is not null;
}
