using System.Net;
using System.Net.Sockets;
using Catty.Cli.Auth;
using Catty.Sdk.Api;

namespace Catty.Cli.Commands;

/// <summary>
/// The one place failures are printed: every error says what went wrong and what to do, on standard
/// error, and yields a non-zero exit code.
/// </summary>
internal static class ErrorWriter
{
    public static int Write(TextWriter err, Exception exception, Uri? server)
    {
        var failure = Describe(exception, server);
        err.WriteLine($"error: {failure.Problem}");
        if (failure.Remedy.Length > 0)
        {
            err.WriteLine($"  {failure.Remedy}");
        }

        return failure.ExitCode;
    }

    /// <summary>Turns any exception into a problem and a remedy.</summary>
    public static CliFailure Describe(Exception exception, Uri? server) => exception switch
    {
        CliFailure failure => failure,
        SignInExpiredException expired => new CliFailure(
            $"your sign-in to {expired.Server} has expired or was ended ({expired.Reason}).",
            "Sign in again with `catty login`."),
        CattyApiException api => FromApi(api, server),
        System.Text.Json.JsonException json => new CliFailure(
            $"the server at {server?.ToString() ?? "its address"} answered with something catty does not understand ({json.Message}).",
            "Check that --api or CATTY_API_ADDR names a Catty server, and that catty and the server are recent enough for each other."),
        HttpRequestException { InnerException: SocketException or IOException } or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } =>
            new CliFailure(
                $"cannot reach the Catty server at {server?.ToString() ?? "its address"} ({exception.InnerException?.Message ?? exception.Message}).",
                "Check that catty-server is running there, or choose another server with --api URL or CATTY_API_ADDR."),
        SocketException socket => new CliFailure(
            $"the connection to {server?.ToString() ?? "the server"} broke ({socket.Message}).",
            "Check that catty-server is running there and try again."),
        HttpRequestException http => new CliFailure(
            $"the request to {server?.ToString() ?? "the server"} failed: {http.Message}",
            "Try again; if it keeps failing, check the server's log."),
        TaskCanceledException or TimeoutException => new CliFailure(
            $"the server at {server?.ToString() ?? "its address"} did not answer in time.",
            "Try again; if it keeps failing, check the server's log."),
        OperationCanceledException => new CliFailure("cancelled.", "", ExitCodes.Failure),
        UnauthorizedAccessException or IOException => new CliFailure(
            exception.Message,
            "Check the file's permissions and free disk space, then try again."),
        _ => new CliFailure(
            $"catty failed unexpectedly: {exception.GetType().Name}: {exception.Message}",
            "This is a bug; please report it with the output of `catty version` and the command you ran.",
            ExitCodes.Internal),
    };

    private static CliFailure FromApi(CattyApiException api, Uri? server) => api.Status switch
    {
        HttpStatusCode.Unauthorized => new CliFailure(
            $"the server at {server} refused your credentials ({api.ApiMessage}).",
            "Sign in again with `catty login` (or `catty login --with-token` for an API token)."),
        HttpStatusCode.Forbidden => new CliFailure(api.ApiMessage, "Your account is not allowed to do this; ask the server's owner."),
        HttpStatusCode.NotFound when api.Error is "not_found" or "session_not_found" => new CliFailure(
            api.ApiMessage, "Run `catty list` to see your sessions and their labels."),
        HttpStatusCode.NotFound => new CliFailure(api.ApiMessage, $"Check that {server} is a Catty server (--api URL or CATTY_API_ADDR)."),
        HttpStatusCode.TooManyRequests => new CliFailure(
            $"the server at {server} is turning requests away for now: {api.ApiMessage} ({api.Error}).",
            api.RetryAfter is { } wait ? $"Try again in {DurationText.Format(wait)}." : "Wait a minute and try again."),
        HttpStatusCode.PaymentRequired => new CliFailure(
            $"{api.ApiMessage} ({api.Error})",
            "See your sessions with `catty list` and stop one with `catty stop <label>`, or ask the server's owner to raise your limit."),
        HttpStatusCode.Conflict => new CliFailure(api.ApiMessage, "Run `catty list` to see the session's status."),
        >= HttpStatusCode.InternalServerError => new CliFailure(
            $"the server failed: {api.ApiMessage} ({(int)api.Status} {api.Error}).", "Try again; if it keeps failing, check the server's log."),
        _ => new CliFailure($"{api.ApiMessage} ({api.Error}).", "Check the command's arguments (`catty <command> --help`)."),
    };
}
