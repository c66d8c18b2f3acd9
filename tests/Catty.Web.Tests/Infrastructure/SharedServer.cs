namespace Catty.Web.Tests.Infrastructure;

/// <summary>
/// The catty-server most browser tests share: each test makes its own <see cref="Account"/> on it, so lists and
/// sessions never mix, and no test pays for a server's cold start. Besides the usual agents it knows one whose
/// program is not installed.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public const string MissingAgent = "ghost";
    public const string MissingProgram = "catty-test-no-such-program";

    /// <summary>An agent with Claude Code's attention source whose program asks for permission once it reads a line.</summary>
    public const string AskingAgent = "asking";

    private const string AsksPermission = """
        read line
        printf '%s' '{"notification_type":"permission_prompt"}' | node "$HOME/.catty/hook.js" claude Notification
        exec sleep 600
        """;

    internal DashboardServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await DashboardServer.StartAsync(new Dictionary<string, string>
        {
            [$"Catty:Agents:Available:{MissingAgent}:Command:0"] = MissingProgram,
            [$"Catty:Agents:Available:{AskingAgent}:Command:0"] = "sh",
            [$"Catty:Agents:Available:{AskingAgent}:Command:1"] = "-c",
            [$"Catty:Agents:Available:{AskingAgent}:Command:2"] = AsksPermission,
            [$"Catty:Agents:Available:{AskingAgent}:Attention"] = "claude",
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    internal Task<Account> NewAccountAsync() => Server.NewAccountAsync();
}
