namespace Catty.Server.Storage;

/// <summary>A single-use, short-lived ticket that lets a browser open one session's terminal; only its SHA-256 is kept.</summary>
internal sealed class TerminalTicket
{
    public required byte[] Hash { get; set; }

    public Guid SessionId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
