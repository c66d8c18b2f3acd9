using System.Security.Cryptography;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Uploads;

/// <summary>One agent for the upload cases, with a short idle timeout for unfinished uploads.</summary>
public sealed class UploadAgent : IAsyncLifetime
{
    internal AgentProcess Agent { get; private set; } = null!;

    public async Task InitializeAsync() => Agent = await AgentProcess.StartAsync(new AgentStart { Options = ["upload-idle-timeout-ms=3000"] });

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}

/// <summary><c>file_upload</c> and <c>file_upload_chunk</c> land in <c>.catty-uploads/</c> and nowhere else.</summary>
public sealed class UploadTests(UploadAgent shared) : IClassFixture<UploadAgent>
{
    private AgentProcess Agent => shared.Agent;

    private string Uploads => Path.Combine(Agent.Workspace, ".catty-uploads");

    [Fact]
    public async Task A_chunked_9_MB_upload_is_reassembled_exactly()
    {
        await using var client = await ConnectAsync();
        var content = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);
        var name = Unique("big") + ".bin";

        await SendChunkedAsync(client, "u-big", name, content, 512 * 1024);

        var path = Path.Combine(Uploads, name);
        await Poll.UntilAsync(() => File.Exists(path), "the upload is stored");
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Empty(Temps());
        await AssertNoErrorAsync(client);
    }

    [Fact]
    public async Task A_whole_file_upload_is_stored_and_a_second_one_with_the_same_name_gets_a_suffix()
    {
        await using var client = await ConnectAsync();
        var name = Unique("notes") + ".txt";

        await client.SendControlAsync(new FileUploadMessage(name, Convert.ToBase64String("first"u8), name, "text/plain"));
        await client.SendControlAsync(new FileUploadMessage(name, Convert.ToBase64String("second"u8), name, "text/plain"));

        var second = Path.Combine(Uploads, Path.GetFileNameWithoutExtension(name) + " (1).txt");
        await Poll.UntilAsync(() => File.Exists(second), "the second upload is stored");
        Assert.Equal("first", File.ReadAllText(Path.Combine(Uploads, name)));
        Assert.Equal("second", File.ReadAllText(second));
        await AssertNoErrorAsync(client);
    }

    public static TheoryData<string, string> HostileNames => new()
    {
        { "../../etc/{0}", "{0}" },
        { "/abs/{0}", "{0}" },
        { "a/b/{0}", "{0}" },
        { "..\\..\\{0}", "{0}" },
        { "..{0}", "{0}" },
        { ".{0}", "{0}" },
        { "\u0001{0}\u001b[2J", "{0}[2J" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Path_escaping_names_are_reduced_to_a_plain_name_inside_the_upload_folder(string hostile, string stored)
    {
        await using var client = await ConnectAsync();
        var id = Unique("esc");

        await client.SendControlAsync(new FileUploadMessage(string.Format(null, hostile, id), Convert.ToBase64String("x"u8), "/etc/passwd"));

        await Poll.UntilAsync(() => File.Exists(Path.Combine(Uploads, string.Format(null, stored, id))), $"the upload stored as {string.Format(null, stored, id)}");
        var everywhere = Directory.EnumerateFiles(Agent.Root.Path, "*", SearchOption.AllDirectories).Where(f => f.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Equal([Path.Combine(Uploads, string.Format(null, stored, id))], everywhere);
        await AssertNoErrorAsync(client);
    }

    [Fact]
    public async Task Empty_and_dot_only_names_become_upload()
    {
        await using var client = await ConnectAsync();
        var before = Directory.Exists(Uploads) ? Directory.GetFiles(Uploads, "upload*").Length : 0;

        await client.SendControlAsync(new FileUploadMessage("../..", Convert.ToBase64String("y"u8)));

        await Poll.UntilAsync(() => Directory.Exists(Uploads) && Directory.GetFiles(Uploads, "upload*").Length == before + 1, "a file named upload");
    }

    [Fact]
    public async Task Out_of_order_chunks_are_refused_and_the_upload_discarded()
    {
        await using var client = await ConnectAsync();
        var name = Unique("ooo");

        await client.SendControlAsync(Chunk("u-ooo", name, 0, 3, [1, 2, 3]));
        await client.SendControlAsync(Chunk("u-ooo", name, 2, 3, [7, 8, 9]));

        var error = await client.NextControlAsync<ErrorMessage>();
        Assert.Contains("expected chunk 1, got 2", error.Message, StringComparison.Ordinal);
        Assert.Empty(Temps());
        Assert.False(File.Exists(Path.Combine(Uploads, name)));

        // The upload is gone: its next chunk starts nothing.
        await client.SendControlAsync(Chunk("u-ooo", name, 1, 3, [4, 5, 6]));
        Assert.Contains("expected chunk 0, got 1", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, "total_chunks must be between 1")]
    [InlineData(0, -1, "total_chunks must be between 1")]
    [InlineData(-1, 2, "chunk_index -1 is outside 0..1")]
    [InlineData(3, 3, "chunk_index 3 is outside 0..2")]
    [InlineData(5, 2, "chunk_index 5 is outside 0..1")]
    public async Task A_chunk_index_outside_the_total_is_refused(int index, int total, string expected)
    {
        await using var client = await ConnectAsync();
        var name = Unique("idx");

        await client.SendControlAsync(Chunk("u-idx", name, index, total, [1]));

        Assert.Contains(expected, (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Uploads, name)));
        Assert.Empty(Temps());
    }

    [Fact]
    public async Task A_changed_total_discards_the_upload()
    {
        await using var client = await ConnectAsync();
        var name = Unique("total");

        await client.SendControlAsync(Chunk("u-total", name, 0, 2, [1]));
        await client.SendControlAsync(Chunk("u-total", name, 1, 3, [2]));

        Assert.Contains("total_chunks changed from 2 to 3", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
        Assert.Empty(Temps());
        Assert.False(File.Exists(Path.Combine(Uploads, name)));
    }

    [Fact]
    public async Task An_upload_over_10_MB_is_refused_and_discarded()
    {
        await using var client = await ConnectAsync();
        var name = Unique("huge");
        var chunk = new byte[700 * 1024];

        for (var i = 0; i < 15; i++)
            await client.SendControlAsync(Chunk("u-huge", name, i, 15, chunk));

        var error = await client.NextControlAsync<ErrorMessage>();
        Assert.Contains("is too large", error.Message, StringComparison.Ordinal);
        Assert.Contains("10485760", error.Message, StringComparison.Ordinal);
        Assert.Empty(Temps());
        Assert.False(File.Exists(Path.Combine(Uploads, name)));
    }

    [Fact]
    public async Task Bad_base64_is_refused_for_whole_and_chunked_uploads()
    {
        await using var client = await ConnectAsync();
        var name = Unique("b64");

        await client.SendControlAsync(new FileUploadMessage(name, "not*base64!"));
        Assert.Contains("not valid base64", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);

        await client.SendControlAsync(Chunk("u-b64", name, 0, 2, [1, 2]));
        await client.SendControlAsync(new FileUploadChunkMessage("u-b64", name, 1, 2, "%%%"));
        Assert.Contains("chunk 1 is not valid base64", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
        Assert.Empty(Temps());
        Assert.False(File.Exists(Path.Combine(Uploads, name)));
    }

    [Fact]
    public async Task Only_uploads_may_exceed_the_64_KiB_bound_of_control_messages_and_only_up_to_1_MiB()
    {
        await using var client = await ConnectAsync();
        var padded = System.Text.Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"pad\":\"" + new string('x', 100 * 1024) + "\"}");

        await client.SendFrameAsync(padded, System.Net.WebSockets.WebSocketMessageType.Text);
        Assert.Contains("larger than 65536 bytes", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);

        await client.SendControlAsync(new FileUploadMessage(Unique("over"), Convert.ToBase64String(new byte[800 * 1024])));
        Assert.Contains("(uploads: 1048576)", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);

        var name = Unique("mid");
        await client.SendControlAsync(new FileUploadMessage(name, Convert.ToBase64String(new byte[600 * 1024])));
        await Poll.UntilAsync(() => File.Exists(Path.Combine(Uploads, name)), "the 600 KiB upload is stored");
        Assert.Equal(600 * 1024, new FileInfo(Path.Combine(Uploads, name)).Length);
    }

    [Fact]
    public async Task An_unfinished_upload_is_deleted_when_the_client_disconnects()
    {
        var client = await ConnectAsync();
        await client.SendControlAsync(Chunk("u-gone", Unique("gone"), 0, 3, [1, 2, 3]));
        await Poll.UntilAsync(() => Temps().Count == 1, "the partial upload exists");

        await client.CloseAsync();
        await client.DisposeAsync();

        await Poll.UntilAsync(() => Temps().Count == 0, "the partial upload is deleted");
    }

    [Fact]
    public async Task An_idle_unfinished_upload_is_deleted_after_the_timeout()
    {
        await using var client = await ConnectAsync();
        var name = Unique("idle");
        await client.SendControlAsync(Chunk("u-idle", name, 0, 2, [1, 2, 3]));
        await Poll.UntilAsync(() => Temps().Count == 1, "the partial upload exists");

        await Poll.UntilAsync(() => Temps().Count == 0, "the idle upload is deleted");

        await client.SendControlAsync(Chunk("u-idle", name, 1, 2, [4]));
        Assert.Contains("expected chunk 0, got 1", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_in_place_of_the_upload_folder_is_refused()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        var outside = Directory.CreateDirectory(Path.Combine(agent.Root.Path, "elsewhere")).FullName;
        File.CreateSymbolicLink(Path.Combine(agent.Workspace, ".catty-uploads"), outside);
        await using var client = await agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();

        await client.SendControlAsync(new FileUploadMessage("x.txt", Convert.ToBase64String("x"u8)));

        Assert.Contains("not a folder", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    private async Task<TerminalClient> ConnectAsync()
    {
        var client = await Agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();
        return client;
    }

    private List<string> Temps() =>
        Directory.Exists(Uploads) ? [.. Directory.EnumerateFiles(Uploads, ".incoming-*")] : [];

    private static string Unique(string stem) => stem + "-" + Guid.NewGuid().ToString("N")[..8];

    private static FileUploadChunkMessage Chunk(string id, string name, int index, int total, byte[] content) =>
        new(id, name, index, total, Convert.ToBase64String(content), name, "application/octet-stream");

    private static async Task SendChunkedAsync(TerminalClient client, string id, string name, byte[] content, int chunkBytes)
    {
        var total = (content.Length + chunkBytes - 1) / chunkBytes;
        for (var i = 0; i < total; i++)
        {
            var piece = content.AsSpan(i * chunkBytes, Math.Min(chunkBytes, content.Length - i * chunkBytes)).ToArray();
            await client.SendControlAsync(Chunk(id, name, i, total, piece));
        }
    }

    /// <summary>A ping answered after the uploads proves they were handled; no error may precede the pong.</summary>
    private static async Task AssertNoErrorAsync(TerminalClient client)
    {
        await client.SendControlAsync(new PingMessage());
        await client.NextControlAsync<PongMessage>();
        Assert.DoesNotContain(client.Messages, c => c is ErrorMessage);
    }
}
