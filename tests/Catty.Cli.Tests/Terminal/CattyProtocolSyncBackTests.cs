using System.Text.Json.Nodes;
using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Terminal;

/// <summary>
/// A Catty-protocol server names its workspace folder in <c>sync_back_ack</c> and sends paths under it
/// (<c>/workspace/src/x.ts</c>): catty applies those, and still refuses every path that escapes.
/// </summary>
public sealed class CattyProtocolSyncBackTests : IAsyncLifetime
{
    private readonly TestHome _home = new();
    private HostilePeer _peer = null!;
    private TmuxTerminal _terminal = null!;
    private string _sibling = null!;

    public async Task InitializeAsync()
    {
        _sibling = Path.Combine(_home.Root, "proj-evil");
        Directory.CreateDirectory(_sibling);
        _peer = await HostilePeer.StartAsync(
        [
            new JsonObject { ["type"] = "sync_back_ack", ["enabled"] = true, ["workspace_dir"] = "/workspace", ["interval_ms"] = 500 },
            HostilePeer.Write("/workspace/src/x.ts", "export const x = 1;\n"),
            HostilePeer.Write("/workspace2/sibling.txt", "pwned"),
            HostilePeer.Write("/workspace/../proj-evil/climb.txt", "pwned"),
            HostilePeer.Write(Path.Combine(_sibling, "absolute.txt"), "pwned"),
            HostilePeer.Write("/workspace/setuid", "x", mode: 0x9ED),
            HostilePeer.Write("/workspace/README.md", "# from the session\n"),
        ]);
        _home.SignIn(_peer.Address, "catty_any-token-for-the-hostile-peer-0000");
        _terminal = await TmuxTerminal.StartAsync(_home, _peer.Address);
    }

    public async Task DisposeAsync()
    {
        await _terminal.DisposeAsync();
        await _peer.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Workspace_paths_are_applied_relative_to_the_folder_and_escapes_refused()
    {
        await _terminal.RunAsync($"{CattyProcess.Program} connect {HostilePeer.Label} --sync-to .");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(_home.Project, "README.md")), "the last legitimate change");

        await _terminal.WaitForAsync("sync-back refused '/workspace2/sibling.txt': it is an absolute path");
        await _terminal.WaitForAsync("sync-back refused '/workspace/../proj-evil/climb.txt': it climbs out of the folder with '..'");
        await _terminal.WaitForAsync($"sync-back refused '{Path.Combine(_sibling, "absolute.txt")}': it is an absolute path");
        await _terminal.WaitForAsync("sync-back refused '/workspace/setuid': its mode 4755 carries setuid, setgid or sticky bits");
        await _terminal.KeyAsync("C-\\");

        await _terminal.WaitForAsync("Sync-back: 2 files written, 0 deleted, 4 refused (listed above).");
        Assert.Equal("export const x = 1;\n", await File.ReadAllTextAsync(Path.Combine(_home.Project, "src/x.ts")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sibling));
        Assert.False(Directory.Exists(Path.Combine(_home.Root, "workspace2")));
    }
}
