using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Terminal;

/// <summary>Hostile file changes from a session are refused, each reported on the terminal, and nothing lands outside.</summary>
public sealed class HostileSyncBackTests : IAsyncLifetime
{
    private readonly TestHome _home = new();
    private HostilePeer _peer = null!;
    private TmuxTerminal _terminal = null!;
    private string _sibling = null!;

    public async Task InitializeAsync()
    {
        _sibling = Path.Combine(_home.Root, "proj-evil");
        Directory.CreateDirectory(_sibling);
        File.CreateSymbolicLink(Path.Combine(_home.Project, "link"), _sibling);
        _peer = await HostilePeer.StartAsync(
        [
            HostilePeer.Write("../proj-evil/sibling.txt", "pwned"),
            HostilePeer.Write(Path.Combine(_sibling, "absolute.txt"), "pwned"),
            HostilePeer.Write("link/through-link.txt", "pwned"),
            HostilePeer.Write("fifo", "x", mode: 0x11A4),
            HostilePeer.Write("setuid", "x", mode: 0x9ED),
            HostilePeer.Write(".git/hooks/pre-commit", "#!/bin/sh\n", mode: 0x1ED),
            HostilePeer.Write("fine.txt", "a legitimate change"),
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
    public async Task Each_hostile_change_is_refused_and_reported_and_the_legitimate_one_applied()
    {
        await _terminal.RunAsync($"{CattyProcess.Program} connect {HostilePeer.Label} --sync-to .");
        await _terminal.WaitForAsync("hostile$");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(_home.Project, "fine.txt")), "the legitimate change");

        await _terminal.WaitForAsync("sync-back refused '../proj-evil/sibling.txt': it climbs out of the folder with '..'");
        await _terminal.WaitForAsync($"sync-back refused '{Path.Combine(_sibling, "absolute.txt")}': it is an absolute path");
        await _terminal.WaitForAsync("sync-back refused 'link/through-link.txt': it goes through the symbolic link 'link'");
        await _terminal.WaitForAsync("sync-back refused 'fifo': its mode 10644 makes it a FIFO");
        await _terminal.WaitForAsync("sync-back refused 'setuid': its mode 4755 carries setuid, setgid or sticky bits");
        await _terminal.WaitForAsync("sync-back refused '.git/hooks/pre-commit': it is inside a .git folder");
        await _terminal.KeyAsync("C-\\");

        await _terminal.WaitForAsync("Sync-back: 1 file written, 0 deleted, 6 refused (listed above).");
        await _peer.ClientLeft.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sibling));
        Assert.Equal(["fine.txt", "link"], Directory.EnumerateFileSystemEntries(_home.Project).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
