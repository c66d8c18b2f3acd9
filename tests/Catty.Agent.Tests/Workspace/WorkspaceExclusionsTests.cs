using Catty.Agent.Workspace;

namespace Catty.Agent.Tests.Workspace;

public sealed class WorkspaceExclusionsTests
{
    [Theory]
    [InlineData(".git", true)]
    [InlineData(".git/config", true)]
    [InlineData("a/b/node_modules/x/index.js", true)]
    [InlineData("pkg/__pycache__/m.pyc", true)]
    [InlineData("venv/bin/python", true)]
    [InlineData("deep/.yarn", true)]
    [InlineData(".gitignore", false)]
    [InlineData("my_node_modules/x.js", false)]
    [InlineData("src/venv.py", false)]
    [InlineData("a/.cache-not/x", false)]
    public void Paths_under_an_excluded_name_are_excluded_at_any_depth(string path, bool excluded)
    {
        Assert.Equal(excluded, WorkspaceExclusions.IsExcludedPath(path));
    }

    [Fact]
    public void The_set_holds_exactly_the_documented_names()
    {
        Assert.Equal(
            [".cache", ".git", ".npm", ".venv", ".yarn", "__pycache__", "node_modules", "venv"],
            WorkspaceExclusions.Names.Order(StringComparer.Ordinal));
    }
}
