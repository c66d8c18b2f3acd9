using System.Security.Cryptography;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.SyncBack;

/// <summary>One agent for the sync-back cases; each case works in its own folder and connects a fresh client.</summary>
public sealed class SyncBackAgent : IAsyncLifetime
{
    internal AgentProcess Agent { get; private set; } = null!;

    public async Task InitializeAsync() => Agent = await AgentProcess.StartAsync(new AgentStart
    {
        Options = ["sync-back-max-file-bytes=30000000"],
    });

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}

/// <summary>Changes the program makes in the workspace reach a client that opted in, as <c>file_change</c> messages.</summary>
public sealed class SyncBackTests(SyncBackAgent shared) : IClassFixture<SyncBackAgent>
{
    private AgentProcess Agent => shared.Agent;

    [Fact]
    public async Task Create_modify_chmod_rename_and_delete_arrive_in_order()
    {
        await using var client = await SyncBackMirror.ConnectAsync(Agent);
        var ack = client.Messages.OfType<SyncBackAckMessage>().Single();
        Assert.Equal(Agent.Workspace, ack.WorkspaceDir);
        Assert.True(ack.IntervalMs > 0);

        await SyncBackMirror.RunAsync(client, "mkdir -p basic && printf one > basic/a.txt && chmod 644 basic/a.txt");
        await SyncBackMirror.WaitAsync(client, m => m.TryGetValue("basic/a.txt", out var f) && f.Content.SequenceEqual("one"u8.ToArray()) && f.Mode == 420, "a.txt created");

        await SyncBackMirror.RunAsync(client, "printf two >> basic/a.txt && chmod 755 basic/a.txt");
        await SyncBackMirror.WaitAsync(client, m => m.TryGetValue("basic/a.txt", out var f) && f.Content.SequenceEqual("onetwo"u8.ToArray()) && f.Mode == 493, "a.txt modified and made executable");

        await SyncBackMirror.RunAsync(client, "mv basic/a.txt basic/b.txt");
        await SyncBackMirror.WaitAsync(client, m => !m.ContainsKey("basic/a.txt") && m.ContainsKey("basic/b.txt"), "the rename");
        var changes = SyncBackMirror.Changes(client);
        Assert.Contains(changes, c => c is { Action: "delete", Path: "basic/a.txt", Content: null });

        await SyncBackMirror.RunAsync(client, "rm basic/b.txt");
        await SyncBackMirror.WaitAsync(client, m => !m.ContainsKey("basic/b.txt"), "the delete");
        Assert.Equal("delete", SyncBackMirror.Changes(client)[^1].Action);
    }

    [Fact]
    public async Task A_burst_of_a_thousand_files_and_a_20_MB_file_arrive_while_the_terminal_keeps_answering()
    {
        await using var client = await SyncBackMirror.ConnectAsync(Agent);

        await SyncBackMirror.RunAsync(client, "mkdir -p burst && (for i in $(seq 1 1000); do echo \"file $i\" > burst/f$i.txt; done; head -c 20971520 /dev/urandom > burst/big.bin) & true");
        // The burst runs in the background; the shell must keep answering, each echo within its deadline,
        // for as long as the changes are streaming out.
        var expectedBig = (byte[]?)null;
        var echoes = 0;
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            await SyncBackMirror.EchoAsync(client, TimeSpan.FromSeconds(20));
            echoes++;
            var big = Path.Combine(Agent.Workspace, "burst", "big.bin");
            if (expectedBig is null && File.Exists(big) && new FileInfo(big).Length == 20971520)
                expectedBig = SHA256.HashData(File.ReadAllBytes(big));
            // Applying every change decodes megabytes: only once the big file has been sent at all.
            var changes = SyncBackMirror.Changes(client);
            if (expectedBig is not null && changes.Any(c => c.Path == "burst/big.bin"))
            {
                var mirrored = SyncBackMirror.Apply(client);
                if (mirrored.Count(p => p.Key.StartsWith("burst/f", StringComparison.Ordinal)) == 1000
                    && mirrored.TryGetValue("burst/big.bin", out var sent) && SHA256.HashData(sent.Content).SequenceEqual(expectedBig))
                    break;
            }
            Assert.False(overall.IsCancellationRequested, $"after {echoes} echoes {changes.Count} changes arrived, not yet the 1,000 small files and the 20 MB one");
        }
        var mirror = SyncBackMirror.Apply(client);
        Assert.Equal("file 517\n"u8.ToArray(), mirror["burst/f517.txt"].Content);
        await SyncBackMirror.EchoAsync(client, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Excluded_folders_links_and_special_files_are_never_sent()
    {
        await using var client = await SyncBackMirror.ConnectAsync(Agent);
        var outside = Path.Combine(Agent.Root.Path, "outside.txt");
        File.WriteAllText(outside, "secret");

        await SyncBackMirror.RunAsync(client,
            "mkdir -p excl/node_modules/pkg excl/.git excl/src/__pycache__ && echo x > excl/node_modules/pkg/index.js && echo ref > excl/.git/HEAD"
            + " && echo c > excl/src/__pycache__/m.pyc"
            + $" && ln -s {outside} excl/link.txt && ln -s {Agent.Root.Path} excl/linkdir && mkfifo excl/fifo && echo hello > excl/linkdir/via-link.txt"
            + " && echo ok > excl/real.txt");
        await SyncBackMirror.WaitAsync(client, m => m.ContainsKey("excl/real.txt"), "the real file");
        await SyncBackMirror.RunAsync(client, "echo more >> excl/node_modules/pkg/index.js && echo later > excl/last.txt");
        await SyncBackMirror.WaitAsync(client, m => m.ContainsKey("excl/last.txt"), "the last file");

        var paths = SyncBackMirror.Changes(client).Select(c => c.Path).ToList();
        Assert.DoesNotContain(paths, p => p.Contains("node_modules", StringComparison.Ordinal) || p.Contains(".git", StringComparison.Ordinal) || p.Contains("__pycache__", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.Contains("link", StringComparison.Ordinal) || p.Contains("fifo", StringComparison.Ordinal) || p.Contains("via-link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_to_a_folder_outside_is_not_watched()
    {
        await using var client = await Agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();
        await SyncBackMirror.RunAsync(client, "mkdir -p watch && ln -sfn /usr watch/usr-link");

        await client.SendControlAsync(new SyncBackMessage(true));
        await client.NextControlAsync<SyncBackAckMessage>();

        // Following the link would add a watch for every folder under /usr: thousands.
        var watches = Directory.EnumerateFiles($"/proc/{Agent.Pid}/fdinfo")
            .Sum(f => File.ReadLines(f).Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal)));
        var folders = Directory.EnumerateDirectories(Agent.Workspace, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Count() + 1;
        Assert.True(watches <= folders, $"{watches} inotify watches for {folders} workspace folders");
        Assert.True(watches > 0, "the workspace is watched");
    }

    [Fact]
    public async Task Disabling_stops_changes_and_a_new_driver_must_opt_in_again()
    {
        await using (var first = await SyncBackMirror.ConnectAsync(Agent))
        {
            await SyncBackMirror.RunAsync(first, "mkdir -p toggle && echo 1 > toggle/one.txt");
            await SyncBackMirror.WaitAsync(first, m => m.ContainsKey("toggle/one.txt"), "one.txt");

            await first.SendControlAsync(new SyncBackMessage(false));
            Assert.False((await first.NextControlAsync<SyncBackAckMessage>()).Enabled);
            await SyncBackMirror.RunAsync(first, "echo 2 > toggle/two.txt");
            await first.SendControlAsync(new SyncBackMessage(true));
            await first.NextControlAsync<SyncBackAckMessage>();
            await SyncBackMirror.RunAsync(first, "echo 3 > toggle/three.txt");
            await SyncBackMirror.WaitAsync(first, m => m.ContainsKey("toggle/three.txt"), "three.txt");
            Assert.DoesNotContain(SyncBackMirror.Changes(first), c => c.Path == "toggle/two.txt");
        }

        await using var second = await Agent.ConnectAsync();
        await second.NextControlAsync<ReadyMessage>();
        await SyncBackMirror.RunAsync(second, "echo 4 > toggle/four.txt");
        await second.SendControlAsync(new SyncBackMessage(true));
        await second.NextControlAsync<SyncBackAckMessage>();
        await SyncBackMirror.RunAsync(second, "echo 5 > toggle/five.txt");
        await SyncBackMirror.WaitAsync(second, m => m.ContainsKey("toggle/five.txt"), "five.txt");
        Assert.Equal(["toggle/five.txt"], SyncBackMirror.Changes(second).Select(c => c.Path));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_named_in_an_error_and_not_sent()
    {
        await using var client = await SyncBackMirror.ConnectAsync(Agent);

        await SyncBackMirror.RunAsync(client, "mkdir -p huge/.cache && head -c 31000000 /dev/zero > huge/.cache/big && mv huge/.cache/big huge/too-big.bin && echo small > huge/small.txt");

        var error = await client.NextControlAsync<ErrorMessage>(TimeSpan.FromSeconds(30));
        Assert.Contains("huge/too-big.bin", error.Message, StringComparison.Ordinal);
        await SyncBackMirror.WaitAsync(client, m => m.ContainsKey("huge/small.txt"), "small.txt");
        Assert.DoesNotContain(SyncBackMirror.Changes(client), c => c.Path == "huge/too-big.bin");
    }
}
