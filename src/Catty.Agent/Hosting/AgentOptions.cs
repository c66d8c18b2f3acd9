namespace Catty.Agent.Hosting;

/// <summary>
/// Tunables of one agent. Production uses the defaults; tests shorten the timings through the
/// hidden <c>--option name=value</c> command-line switch so that keepalive and linger paths run quickly.
/// </summary>
internal sealed record AgentOptions
{
    /// <summary>How often the agent pings its driver (DESIGN: about every 25 s).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>A driver from which no frame arrived for this long is dropped, unless output to it is still draining.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the keepalive clock looks at a driver.</summary>
    public TimeSpan KeepaliveTick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the agent stays up after its program exited when nobody stops it.</summary>
    public TimeSpan LingerAfterExit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>After the program exits, how long to wait for the PTY to report end of output before announcing the exit.</summary>
    public TimeSpan OutputDrainAfterExit { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a replaced or timed-out driver gets to finish its close handshake before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a client may take to send a request head.</summary>
    public TimeSpan RequestHeadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Output bytes queued for a driver before the PTY reader stops reading (backpressure).</summary>
    public int OutputQueueBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>The largest binary frame the sender builds by coalescing queued output.</summary>
    public int MaxFrameBytes { get; init; } = 256 * 1024;

    /// <summary>Size of the PTY read buffer.</summary>
    public int ReadChunkBytes { get; init; } = 64 * 1024;

    /// <summary>Bytes of recent output kept for <c>GET /logs</c> and <c>output.log</c>.</summary>
    public int LogsRingBytes { get; init; } = 1024 * 1024;

    /// <summary>Scrollback lines the screen model keeps for replay.</summary>
    public int ScrollbackLines { get; init; } = 1000;

    /// <summary>The largest control (text) message accepted; the rest of a bigger one is discarded.</summary>
    public int MaxControlMessageBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// The largest <c>file_upload</c> or <c>file_upload_chunk</c> message accepted: uploads carry base64
    /// content, so they may be bigger than other control messages.
    /// </summary>
    public int MaxUploadMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>How long sync-back waits for the workspace to go quiet before sending a batch of changes.</summary>
    public TimeSpan SyncBackInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Files larger than this are not synced back; the client gets an <c>error</c> naming the file.</summary>
    public long SyncBackMaxFileBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Serialized <c>file_change</c> bytes queued for a driver before sync-back waits for the sender.</summary>
    public int SyncBackQueueBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>The largest file a client may upload over the terminal socket.</summary>
    public int MaxUploadFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>A chunked upload that receives nothing for this long is discarded.</summary>
    public TimeSpan UploadIdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>At most this many HTTP connections are served at once; more are closed at accept.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Grace between SIGHUP/SIGTERM and SIGKILL when the agent itself is told to terminate.</summary>
    public TimeSpan DefaultStopGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>For a program without hooks: how long a quiet terminal takes to count as idle.</summary>
    public TimeSpan AttentionQuietAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>GET /attention</c> waits for a change before answering the same state again.</summary>
    public TimeSpan AttentionPollTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Hook reports accepted at once; more are refused until the bucket refills.</summary>
    public int HookBurst { get; init; } = 30;

    /// <summary>Hook reports per second the bucket refills by.</summary>
    public int HookReportsPerSecond { get; init; } = 10;

    /// <summary>Applies one <c>name=value</c> override (milliseconds for durations, a count for sizes).</summary>
    public static bool TryApply(AgentOptions options, string assignment, out AgentOptions result)
    {
        result = options;
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !long.TryParse(assignment.AsSpan(eq + 1), out var value) || value <= 0 || value > int.MaxValue)
            return false;
        var ms = TimeSpan.FromMilliseconds(value);
        var n = (int)value;
        AgentOptions? updated = assignment[..eq] switch
        {
            "ping-interval-ms" => options with { PingInterval = ms },
            "client-timeout-ms" => options with { ClientTimeout = ms },
            "keepalive-tick-ms" => options with { KeepaliveTick = ms },
            "linger-ms" => options with { LingerAfterExit = ms },
            "output-drain-ms" => options with { OutputDrainAfterExit = ms },
            "close-timeout-ms" => options with { CloseTimeout = ms },
            "request-head-timeout-ms" => options with { RequestHeadTimeout = ms },
            "output-queue-bytes" => options with { OutputQueueBytes = n },
            "max-frame-bytes" => options with { MaxFrameBytes = n },
            "logs-ring-bytes" => options with { LogsRingBytes = n },
            "scrollback-lines" => options with { ScrollbackLines = n },
            "sync-back-interval-ms" => options with { SyncBackInterval = ms },
            "sync-back-max-file-bytes" => options with { SyncBackMaxFileBytes = n },
            "upload-idle-timeout-ms" => options with { UploadIdleTimeout = ms },
            "attention-quiet-ms" => options with { AttentionQuietAfter = ms },
            "attention-poll-ms" => options with { AttentionPollTimeout = ms },
            "hook-burst" => options with { HookBurst = n },
            "hook-reports-per-second" => options with { HookReportsPerSecond = n },
            _ => null,
        };
        if (updated is null)
            return false;
        result = updated;
        return true;
    }
}
