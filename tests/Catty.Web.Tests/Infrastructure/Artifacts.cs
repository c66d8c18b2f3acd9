namespace Catty.Web.Tests.Infrastructure;

/// <summary>Where tests leave what a person may want to look at: screenshots and measured page weights.</summary>
internal static class Artifacts
{
    public static string Dir { get; } = Path.Combine(RepoRoot(), ".artifacts", "web");

    public static string PathOf(string name)
    {
        Directory.CreateDirectory(Dir);
        return Path.Combine(Dir, name);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Catty.slnx")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
