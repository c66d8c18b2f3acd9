using Catty.Agent.Workspace;

namespace Catty.Agent.Tests.Workspace;

public sealed class StagingMoverTests : IDisposable
{
    private readonly TempWorkspace _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Rollback_restores_replaced_files_and_removes_new_ones()
    {
        _temp.Write("src/keep.txt", "keep");
        _temp.Write("src/replace.txt", "before");
        var before = TreeListing.Describe(_temp.Workspace);
        var staged = Path.Join(_temp.Root, "staged");
        WriteFile(Path.Join(staged, "src", "replace.txt"), "after");
        WriteFile(Path.Join(staged, "src", "new", "deep.txt"), "deep");
        WriteFile(Path.Join(staged, "top.txt"), "top");
        var mover = new StagingMover(Directory.CreateDirectory(Path.Join(_temp.Root, "backup")).FullName);

        mover.MoveInto(staged, _temp.Workspace);
        Assert.Equal("after", File.ReadAllText(_temp.InWorkspace("src/replace.txt")));
        Assert.Equal("deep", File.ReadAllText(_temp.InWorkspace("src/new/deep.txt")));

        mover.Rollback();
        Assert.Equal(before, TreeListing.Describe(_temp.Workspace));
    }

    [Fact]
    public void A_workspace_that_changed_kind_underneath_fails_and_rolls_back()
    {
        _temp.Write("a/b.txt", "b");
        var before = TreeListing.Describe(_temp.Workspace);
        var staged = Path.Join(_temp.Root, "staged");
        WriteFile(Path.Join(staged, "a", "first.txt"), "first");
        WriteFile(Path.Join(staged, "a", "b.txt", "inner"), "a folder where the workspace has a file");
        var mover = new StagingMover(Directory.CreateDirectory(Path.Join(_temp.Root, "backup")).FullName);

        Assert.Throws<IOException>(() => mover.MoveInto(staged, _temp.Workspace));
        mover.Rollback();

        Assert.Equal(before, TreeListing.Describe(_temp.Workspace));
    }

    private static void WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
