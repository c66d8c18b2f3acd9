namespace Catty.Server;

/// <summary>Settings of the whole server, bound from the <c>Catty</c> section.</summary>
internal sealed class CattyOptions
{
    public const string Section = "Catty";

    /// <summary>
    /// Directory holding the SQLite file, the server key, agent sockets and workspaces.
    /// Default <c>$CATTY_DATA_DIR</c>, else <c>~/.local/share/catty</c>; <c>--data-dir</c> overrides both.
    /// </summary>
    public string DataDir { get; set; } = "";

    /// <summary>
    /// The address people and clients use to reach this server (e.g. <c>https://catty.example.com</c>).
    /// Empty: connect URLs are built from the host each request came to.
    /// </summary>
    public string? PublicUrl { get; set; }
}
