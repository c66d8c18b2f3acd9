namespace Catty.Cli.Auth;

/// <summary>
/// The server no longer renews this device sign-in (its refresh token expired, was spent, or the sign-in was
/// ended by a logout). Printed as "sign in again with `catty login`"; <c>catty logout</c> takes it as done.
/// </summary>
internal sealed class SignInExpiredException(Uri server, string reason) : Exception($"the sign-in to {server} has expired: {reason}")
{
    public Uri Server { get; } = server;

    /// <summary>What the server said when it refused to renew.</summary>
    public string Reason { get; } = reason;
}
