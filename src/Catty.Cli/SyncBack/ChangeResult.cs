namespace Catty.Cli.SyncBack;

/// <summary>What became of one change applied to the local folder.</summary>
/// <param name="Path">The path as the session sent it.</param>
/// <param name="Refusal">Why it was not applied; null when it was.</param>
/// <param name="KeptBecause">
/// For a deletion left undone on purpose: why the local file was kept (it changed here since catty last
/// wrote it). Such a change is not a refusal: nothing was wrong with it.
/// </param>
internal sealed record ChangeResult(string Path, string? Refusal, string? KeptBecause = null)
{
    public bool Applied => Refusal is null;

    public static ChangeResult Ok(string path) => new(path, null);

    public static ChangeResult Refused(string path, string reason) => new(path, reason);

    public static ChangeResult Kept(string path, string because) => new(path, null, because);
}
