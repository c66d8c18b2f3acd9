using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using Catty.Cli.Auth;
using Catty.Cli.Config;
using Catty.Cli.Terminal;
using Catty.Sdk.Api;

namespace Catty.Cli.Commands;

/// <summary><c>catty login</c> and <c>catty logout</c>.</summary>
internal static class AuthCommands
{
    public static Command Login(CommandRunner run)
    {
        var withToken = new Option<bool>("--with-token") { Description = "Read an API token from standard input instead of signing in through the browser." };
        var command = new Command("login", "Sign in to a Catty server: shows a code to approve in a signed-in browser (opened for you when there is one), or takes an API token.") { withToken };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            var server = context.Server;
            using var connection = ServerConnection.Open(context);
            ServerCredentials credentials;
            if (parsed.GetValue(withToken))
            {
                var token = (await LineInput.ReadLineAsync(context.Err, "", hidden: true, ct))?.Trim();
                if (string.IsNullOrEmpty(token))
                {
                    throw new CliFailure("no token came on standard input.", "Pipe it in: `echo \"$TOKEN\" | catty login --with-token`.", ExitCodes.Usage);
                }

                await CheckTokenAsync(connection, token, ct);
                credentials = new ServerCredentials(ApiToken: token);
            }
            else
            {
                credentials = await new DeviceLogin(connection.Anonymous, server, context.Err, context.Time, new BrowserOpener(context.Environment)).RunAsync(ct);
            }

            using (await context.Credentials.LockAsync())
            {
                context.Credentials.Put(server, credentials);
            }

            context.Err.WriteLine(credentials.ApiToken is not null
                ? $"Signed in to {ApiAddress.Key(server)} with an API token ({context.Credentials.FilePath})."
                : $"Signed in to {ApiAddress.Key(server)}{(credentials.User?.Email is { } email ? $" as {email}" : "")} ({context.Credentials.FilePath}).");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Logout(CommandRunner run)
    {
        var command = new Command("logout", "Sign out: end this machine's sign-in on the server (its tokens stop working) and delete it here.");
        run.Handle(command, async (_, ct) =>
        {
            var context = run.Context;
            var server = context.Server;
            var key = ApiAddress.Key(server);
            var credentials = context.Credentials.Get(server);
            if (credentials is null)
            {
                context.Err.WriteLine($"You are not signed in to {key}; nothing to do.");
                return ExitCodes.Success;
            }

            if (credentials.ApiToken is not null)
            {
                await ForgetAsync(context, server);
                context.Err.WriteLine($"Deleted the API token for {key} from {context.Credentials.FilePath}.");
                context.Err.WriteLine("The token itself stays valid on the server; revoke it there if it should stop working.");
                return ExitCodes.Success;
            }

            var revoked = await RevokeAsync(context, ct);
            await ForgetAsync(context, server);
            if (revoked is not null)
            {
                throw new CliFailure(
                    $"deleted your sign-in here, but the server at {key} could not be told to end it ({revoked}).",
                    "It ends by itself once unused for a while; run `catty logout` again once the server is reachable to end it now.");
            }

            context.Err.WriteLine($"Signed out of {key}; this sign-in's tokens no longer work.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Ends the device sign-in on the server (renewing first if its access token expired); null when done, else why not.</summary>
    private static async Task<string?> RevokeAsync(CliContext context, CancellationToken ct)
    {
        using var connection = ServerConnection.Open(context);
        try
        {
            await connection.Api.LogoutAsync(ct);
            return null;
        }
        catch (SignInExpiredException)
        {
            // The server had already ended it: nothing left to revoke.
            return null;
        }
        catch (CattyApiException e) when (e.Status == HttpStatusCode.Unauthorized)
        {
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or CattyApiException or System.Text.Json.JsonException)
        {
            return ErrorWriter.Describe(e, connection.Server).Problem;
        }
    }

    private static async Task ForgetAsync(CliContext context, Uri server)
    {
        using var held = await context.Credentials.LockAsync();
        context.Credentials.Remove(server);
    }

    /// <summary>Asks the server whether it takes <paramref name="token"/>, before storing it.</summary>
    private static async Task CheckTokenAsync(ServerConnection connection, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/sessions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await connection.Anonymous.Http.SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new CliFailure($"the server at {connection.Server} does not accept this token.", "Check that you copied the whole token, and that it is for this server.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CattyApiException(response.StatusCode, "http_" + (int)response.StatusCode, $"checking the token failed: {response.ReasonPhrase}");
        }
    }
}
