namespace Catty.Agent.Tests.Workspace;

/// <summary>A throwaway folder holding a workspace, an upload marker path and an "outside" folder an attacker would aim at.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("catty-ws-").FullName;
        Workspace = Directory.CreateDirectory(Path.Join(Root, "workspace")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Root, "outside")).FullName;
        Marker = Path.Join(Directory.CreateDirectory(Path.Join(Root, "state")).FullName, "upload.marker");
    }

    public string Root { get; }

    public string Workspace { get; }

    public string Outside { get; }

    public string Marker { get; }

    public string InWorkspace(string relative) => Path.Join(Workspace, relative);

    public void Write(string relative, string content)
    {
        var path = InWorkspace(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Names directly under the root, to prove no staging folder was left behind.</summary>
    public string[] RootNames() =>
        Directory.GetFileSystemEntries(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is reclaimed by the system anyway.
        }
    }
}
