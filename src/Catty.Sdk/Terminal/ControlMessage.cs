using System.Text.Json.Serialization;

namespace Catty.Sdk.Terminal;

/// <summary>
/// A JSON control message carried in a WebSocket text frame on the terminal socket.
/// Raw PTY bytes travel in binary frames and never appear here.
/// Mirrored in web/src/terminal/protocol.ts; both sides are held to tests/fixtures/protocol.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ResizeMessage), "resize")]
[JsonDerivedType(typeof(SignalMessage), "signal")]
[JsonDerivedType(typeof(PingMessage), "ping")]
[JsonDerivedType(typeof(PongMessage), "pong")]
[JsonDerivedType(typeof(SyncBackMessage), "sync_back")]
[JsonDerivedType(typeof(FileUploadMessage), "file_upload")]
[JsonDerivedType(typeof(FileUploadChunkMessage), "file_upload_chunk")]
[JsonDerivedType(typeof(ReadyMessage), "ready")]
[JsonDerivedType(typeof(ExitMessage), "exit")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
[JsonDerivedType(typeof(SyncBackAckMessage), "sync_back_ack")]
[JsonDerivedType(typeof(FileChangeMessage), "file_change")]
public abstract record ControlMessage;

// client → server

/// <summary>The client's terminal is now <paramref name="Cols"/> × <paramref name="Rows"/> cells.</summary>
public sealed record ResizeMessage(int Cols, int Rows) : ControlMessage;

/// <summary>Deliver a signal (e.g. "SIGINT", "SIGTERM", "SIGKILL", "SIGHUP") to the program's foreground process group.</summary>
public sealed record SignalMessage(string Name) : ControlMessage;

/// <summary>Keepalive probe; the peer answers with <see cref="PongMessage"/>. Either side may send it.</summary>
public sealed record PingMessage : ControlMessage;

/// <summary>Answer to <see cref="PingMessage"/>.</summary>
public sealed record PongMessage : ControlMessage;

/// <summary>The client wants (or no longer wants) <see cref="FileChangeMessage"/>s for workspace edits.</summary>
public sealed record SyncBackMessage(bool Enabled) : ControlMessage;

/// <summary>A whole small file to place under the workspace's upload folder; content is base64.</summary>
public sealed record FileUploadMessage(string Filename, string Content, string? RemotePath = null, string? MimeType = null) : ControlMessage;

/// <summary>One piece of a larger upload; pieces are reassembled in <paramref name="ChunkIndex"/> order.</summary>
public sealed record FileUploadChunkMessage(
    string UploadId, string Filename, int ChunkIndex, int TotalChunks, string Content, string? RemotePath = null, string? MimeType = null) : ControlMessage;

// server → client

/// <summary>The screen replay has been sent; what follows is live output.</summary>
public sealed record ReadyMessage : ControlMessage;

/// <summary>The program ended with exit <paramref name="Code"/>, or was killed by <paramref name="Signal"/> (e.g. "SIGKILL").</summary>
public sealed record ExitMessage(int? Code = null, string? Signal = null) : ControlMessage;

/// <summary>Something the client sent could not be used; the session goes on.</summary>
public sealed record ErrorMessage(string Message) : ControlMessage;

/// <summary>Confirms a <see cref="SyncBackMessage"/>; names the workspace root and how often changes are batched.</summary>
public sealed record SyncBackAckMessage(bool Enabled, string WorkspaceDir, int IntervalMs) : ControlMessage;

/// <summary>A file under the workspace was written (content base64, octal mode) or deleted; path relative to the root.</summary>
public sealed record FileChangeMessage(string Action, string Path, string? Content = null, int? Mode = null) : ControlMessage;
