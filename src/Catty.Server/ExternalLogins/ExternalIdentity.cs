using System.Security.Claims;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.ExternalLogins;

/// <summary>Who a provider says signed in: the account (issuer + subject) and the address, with whether the provider verified it.</summary>
internal sealed record ExternalIdentity(string Issuer, string Subject, string? Email, bool EmailVerified, string? Name)
{
    /// <summary>From an OpenID Connect provider's validated ID token and userinfo claims, as OpenIddict merged them.</summary>
    public static ExternalIdentity? FromClaims(ClaimsPrincipal external)
    {
        var issuer = external.GetClaim(Claims.Issuer) ?? external.FindFirst(Claims.Subject)?.Issuer;
        var subject = external.GetClaim(Claims.Subject);
        if (issuer is null || subject is null)
        {
            return null;
        }

        var verified = string.Equals(external.GetClaim(Claims.EmailVerified), "true", StringComparison.OrdinalIgnoreCase);
        return new ExternalIdentity(issuer, subject, external.GetClaim(Claims.Email), verified, external.GetClaim(Claims.Name));
    }
}
