using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Workspaces;

/// <summary>The real server killed while it writes a snapshot: the previous one stays whole and downloadable.</summary>
public sealed class SnapshotCrashTests
{
    private static readonly Dictionary<string, string> NoSchedule = new() { ["Catty__Snapshots__FirstDelay"] = "01:00:00" };

    [Fact]
    public async Task A_server_killed_mid_snapshot_leaves_the_previous_snapshot_downloadable_and_intact()
    {
        using var data = new TestDataDir();
        CreateSessionResponse session;
        List<string> saved;
        var workspace = Path.Combine(data.Path, "workspaces");
        await using (var first = await ServerProcess.StartAsync(data, settings: NoSchedule))
        {
            session = await first.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
            workspace = Path.Combine(workspace, session.MachineId);
            await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(
                ("src/main.py", WorkspaceZip.Text("print('saved')\n"), 0x1A4), ("run.sh", WorkspaceZip.Text("#!/bin/sh\n"), 0x1ED), ("empty/", null, 0x1ED)));
            Assert.Equal("taken", (await first.Client.TakeSnapshotAsync(session.Label)).Outcome);
            saved = DownloadTests.Describe(workspace);

            // A large new file keeps the next snapshot writing long enough to be caught in the middle.
            var big = new byte[64 * 1024 * 1024];
            Random.Shared.NextBytes(big);
            await File.WriteAllBytesAsync(Path.Combine(workspace, "big.bin"), big);
            await File.WriteAllTextAsync(Path.Combine(workspace, "src", "main.py"), "print('changed')\n");
            using var writing = new PartialWriteWatch(Path.Combine(data.Path, "blobs"));
            var second = first.Client.TakeSnapshotAsync(session.Label);
            await writing.SeenAsync().Within("the second snapshot to start writing blobs");

            first.KillHard();
            await Assert.ThrowsAnyAsync<Exception>(() => second);
        }

        Assert.True(data.AgentAlive(session.MachineId), "the session outlives the server");
        await using var restarted = await ServerProcess.StartAsync(data, settings: NoSchedule);

        var history = await restarted.Client.ListSnapshotsAsync(session.Label);
        Assert.Equal([1], history.Select(h => h.Seq));
        using var extracted = new TestDataDir();
        await DownloadTests.ExtractAsync(await restarted.Client.GetDownloadAsync(session.Label), extracted.Path);
        Assert.Equal(saved, DownloadTests.Describe(extracted.Path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data.Path, "blobs"), "*.tmp", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }));

        // The store carries on: the next snapshot completes and is the newest download.
        File.Delete(Path.Combine(workspace, "big.bin"));
        var taken = await restarted.Client.TakeSnapshotAsync(session.Label);
        Assert.Equal(("taken", 2), (taken.Outcome, taken.Snapshot!.Seq));
        using var newest = new TestDataDir();
        await DownloadTests.ExtractAsync(await restarted.Client.GetDownloadAsync(session.Label), newest.Path);
        Assert.Equal(DownloadTests.Describe(workspace), DownloadTests.Describe(newest.Path));
    }

    /// <summary>Completes once a temporary (partly written) file appears anywhere under a folder.</summary>
    private sealed class PartialWriteWatch : IDisposable
    {
        private readonly string _root;
        private readonly FileSystemWatcher _watcher;
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PartialWriteWatch(string root)
        {
            _root = root;
            Directory.CreateDirectory(root);
            _watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName };
            _watcher.Created += (_, e) => Check(e.FullPath);
            _watcher.EnableRaisingEvents = true;
        }

        public async Task SeenAsync()
        {
            // A file created in a folder the watcher had not seen yet raises no event: look as well.
            while (!_seen.Task.IsCompleted)
            {
                foreach (var file in Directory.EnumerateFiles(_root, "*.tmp", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
                {
                    Check(file);
                }

                await Task.WhenAny(_seen.Task, Task.Delay(10));
            }
        }

        public void Dispose() => _watcher.Dispose();

        private void Check(string path)
        {
            if (Path.GetFileName(path).EndsWith(".tmp", StringComparison.Ordinal))
            {
                _seen.TrySetResult();
            }
        }
    }
}
