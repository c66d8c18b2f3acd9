namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// The server the sign-in and limit tests share, with settings those tests rely on: device logins polled
/// every second (not five), one running session and two session creations a minute per user, and sign-in
/// attempts unthrottled (every test browser comes from 127.0.0.1). Each test works as a user of its own.
/// </summary>
public sealed class AccountsServer() : CliServer(Settings)
{
    public const int MaxRunningPerUser = 1;

    public const int CreatesPerMinute = 2;

    /// <summary>Also what a server of a test's own needs for a device login to go quickly.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Catty__Auth__DevicePollInterval"] = "00:00:01",
        ["Catty__Auth__SignInAttemptsPerMinute"] = "1000",
        ["Catty__Sessions__MaxRunningPerUser"] = MaxRunningPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Catty__Sessions__CreatesPerMinute"] = CreatesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary><see cref="Settings"/> with <paramref name="more"/> on top, for a server of a test's own.</summary>
    public static IReadOnlyDictionary<string, string> With(params (string Name, string Value)[] more)
    {
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (name, value) in more)
        {
            settings[name] = value;
        }

        return settings;
    }
}

/// <summary>Sign-in and limit tests share one <see cref="AccountsServer"/> and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AccountsCollection : ICollectionFixture<AccountsServer>
{
    public const string Name = "accounts-server";
}
