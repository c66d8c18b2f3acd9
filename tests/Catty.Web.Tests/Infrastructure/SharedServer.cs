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

    internal DashboardServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await DashboardServer.StartAsync(new Dictionary<string, string>
        {
            [$"Catty:Agents:Available:{MissingAgent}:Command:0"] = MissingProgram,
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    internal Task<Account> NewAccountAsync() => Server.NewAccountAsync();
}
