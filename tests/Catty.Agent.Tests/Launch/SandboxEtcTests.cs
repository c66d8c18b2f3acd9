using Catty.Agent.Launch;
using Catty.Agent.Tests.Fixtures;

namespace Catty.Agent.Tests.Launch;

public sealed class SandboxEtcTests
{
    [Fact]
    public void Generated_files_are_rewritten_each_start_but_a_resolver_file_already_there_is_kept()
    {
        using var dir = new TempDir();
        var etc = dir.Combine("etc");
        Directory.CreateDirectory(etc);
        // As a network layer with its own resolver would have left it, and a stale file of an earlier start.
        File.WriteAllText(Path.Combine(etc, "resolv.conf"), "nameserver 10.0.2.3\n");
        File.WriteAllText(Path.Combine(etc, "hostname"), "old-name\n");

        SandboxEtc.Write(etc, SandboxEtc.Files("brave-tiger-1234", "/home/catty"));

        Assert.Equal("nameserver 10.0.2.3\n", File.ReadAllText(Path.Combine(etc, "resolv.conf")));
        Assert.Equal("brave-tiger-1234\n", File.ReadAllText(Path.Combine(etc, "hostname")));
        Assert.Equal(["group", "hostname", "hosts", "nsswitch.conf", "passwd", "resolv.conf"],
            Directory.GetFiles(etc).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(etc, "passwd")));
    }

    [Fact]
    public void Without_a_resolver_file_one_is_made_from_the_hosts()
    {
        using var dir = new TempDir();
        var etc = dir.Combine("etc");

        SandboxEtc.Write(etc, SandboxEtc.Files("h", "/home/catty"));

        var expected = File.Exists("/etc/resolv.conf") ? SandboxEtc.ResolvConf(File.ReadAllText("/etc/resolv.conf")) : "";
        Assert.Equal(expected, File.ReadAllText(Path.Combine(etc, "resolv.conf")));
    }
}
