namespace Catty.Server.Tests.Infrastructure;

/// <summary>The tools under tests/tools that scripts/install-deps.sh installs; missing ones fail loudly.</summary>
internal static class RepoTools
{
    public static string Root { get; } = FindRoot();

    public static string Dir(string tool) => Path.Combine(Root, "tests", "tools", tool);

    /// <summary>The real agents' node_modules (Claude Code and Codex, pinned in tests/tools/agents).</summary>
    public static string AgentModules => Path.Combine(Dir("agents"), "node_modules");

    /// <summary>An executable of tests/tools/agents, e.g. <c>claude</c>; throws when the packages are not installed.</summary>
    public static string AgentCommand(string name)
    {
        var path = Path.Combine(AgentModules, ".bin", name);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{path} is missing: the real agents are not installed. Run `bash scripts/install-deps.sh` (it runs `npm ci` in tests/tools/agents).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Catty.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Catty.slnx.");
    }
}
