using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.SyncBack;

/// <summary>What a sync-back client would hold: the <c>file_change</c> messages received so far, applied in order.</summary>
internal static class SyncBackMirror
{
    public static Dictionary<string, (byte[] Content, int Mode)> Apply(TerminalClient client)
    {
        var files = new Dictionary<string, (byte[] Content, int Mode)>(StringComparer.Ordinal);
        foreach (var change in client.Messages.OfType<FileChangeMessage>())
        {
            if (change.Action == "write")
                files[change.Path] = (Convert.FromBase64String(change.Content!), change.Mode!.Value);
            else
                files.Remove(change.Path);
        }
        return files;
    }

    public static List<FileChangeMessage> Changes(TerminalClient client) => [.. client.Messages.OfType<FileChangeMessage>()];

    /// <summary>Connects, opts in, and waits for the ack.</summary>
    public static async Task<TerminalClient> ConnectAsync(AgentProcess agent)
    {
        var client = await agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();
        await client.SendControlAsync(new SyncBackMessage(true));
        var ack = await client.NextControlAsync<SyncBackAckMessage>();
        Assert.True(ack.Enabled);
        return client;
    }

    /// <summary>Waits until the mirror satisfies <paramref name="condition"/>.</summary>
    public static Task WaitAsync(TerminalClient client, Func<Dictionary<string, (byte[] Content, int Mode)>, bool> condition, string what) =>
        client.WaitUntilAsync(() => condition(Apply(client)), what, TimeSpan.FromSeconds(60));

    /// <summary>Runs a shell command line and waits until it has finished (its marker printed).</summary>
    public static async Task RunAsync(TerminalClient client, string command)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await client.SendAsync($"{command}; echo done-{marker}-$((40+2))\r");
        await client.ReadUntilAsync($"done-{marker}-42", TimeSpan.FromSeconds(60));
    }

    public static async Task EchoAsync(TerminalClient client, TimeSpan timeout)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await client.SendAsync($"echo alive-{marker}-$((2+3))\r");
        await client.ReadUntilAsync($"alive-{marker}-5", timeout);
    }
}
