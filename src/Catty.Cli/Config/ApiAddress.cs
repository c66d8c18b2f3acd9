using Catty.Cli.Commands;

namespace Catty.Cli.Config;

/// <summary>
/// Which server catty talks to: <c>--api URL</c>, else <c>CATTY_API_ADDR</c>, else the server last signed in
/// to, else the address <c>catty-server</c> listens on by default.
/// </summary>
internal static class ApiAddress
{
    public const string EnvironmentVariable = "CATTY_API_ADDR";
    public const string Default = "http://127.0.0.1:5080";

    public static Uri Resolve(string? flag, string? environment, string? lastSignedIn)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return Parse(flag, "--api");
        }

        if (!string.IsNullOrWhiteSpace(environment))
        {
            return Parse(environment, EnvironmentVariable);
        }

        return Parse(lastSignedIn ?? Default, "the saved default server");
    }

    /// <summary>The key a server's credentials are stored under: scheme, host and port, no trailing slash.</summary>
    public static string Key(Uri server) => server.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>A URL that can be a server root, with a trailing slash so relative API paths resolve under it.</summary>
    public static Uri Parse(string text, string source)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new CliFailure(
                $"{source} gives '{text}', which is not an http:// or https:// address.",
                $"Pass the server's address, e.g. --api {Default}.",
                ExitCodes.Usage);
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new CliFailure($"{source} gives '{text}', which has a query or fragment.", $"Pass only the server's address, e.g. {Default}.", ExitCodes.Usage);
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
    }
}
