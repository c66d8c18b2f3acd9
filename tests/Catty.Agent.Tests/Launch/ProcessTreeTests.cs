using Catty.Agent.Launch;

namespace Catty.Agent.Tests.Launch;

public sealed class ProcessTreeTests
{
    [Fact]
    public void Parses_stat_lines_whose_command_holds_spaces_and_parentheses()
    {
        var entry = ProcessTree.Parse("4242 (my (odd) prog) S 17 4242 4200 34816 4242 4194304 1 0 0 0");

        Assert.Equal(new ProcessEntry(4242, "my (odd) prog", 'S', 17, 4200), entry);
    }

    [Fact]
    public void A_zombie_is_not_running()
    {
        Assert.True(ProcessTree.Parse("7 (sleep) Z 1 7 7 0 -1 0")!.Value.IsZombie);
    }

    [Fact]
    public void Finds_this_process_as_running()
    {
        Assert.True(ProcessTree.IsRunning(Environment.ProcessId));
        Assert.False(ProcessTree.IsRunning(int.MaxValue));
    }
}
