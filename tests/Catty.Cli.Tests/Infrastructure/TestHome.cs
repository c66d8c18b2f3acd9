using Catty.Cli.Auth;
using Catty.Cli.Config;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A temporary HOME (so no test touches the real ~/.catty) with a project folder in it; deleted afterwards.
/// Kept short: paths show up on terminal lines the tests read.
/// </summary>
public sealed class TestHome : IDisposable
{
    public TestHome()
    {
        Root = Path.Combine("/tmp", "cli-" + Guid.NewGuid().ToString("N")[..8]);
        Home = Path.Combine(Root, "home");
        Project = Path.Combine(Root, "proj");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Project);
    }

    public string Root { get; }

    public string Home { get; }

    /// <summary>The folder catty runs in (the workspace for <c>new</c>, the target of sync-back).</summary>
    public string Project { get; }

    public string CattyFolder => Path.Combine(Home, ".catty");

    /// <summary>Stores the server's owner token as catty's credentials, as <c>catty login --with-token</c> would.</summary>
    public TestHome SignIn(Uri server, string token = CliServer.OwnerToken)
    {
        new CredentialStore(new CattyHome(Home)).Put(ApiAddress.Parse(server.ToString(), "test"), new ServerCredentials(ApiToken: token));
        return this;
    }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Project, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
