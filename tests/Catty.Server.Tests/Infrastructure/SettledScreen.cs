using Catty.Sdk.Api;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>Waits until a connected client shows everything a session's program has drawn.</summary>
internal static class SettledScreen
{
    /// <summary>
    /// Waits until the program has drawn every text of <paramref name="drawn"/> and the client shows exactly
    /// what the program's whole output draws (the session's logs, rendered afresh): the program is idle and
    /// the client has everything. Returns that screen.
    /// </summary>
    public static async Task<XtermScreen> WaitAsync(CattyClient api, string label, TerminalClient client, int cols, int rows, params string[] drawn)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var screens = await XtermScreen.RenderAsync(cols, rows, await api.GetLogsAsync(label), client.Bytes);
            var (truth, seen) = (screens[0], screens[1]);
            if (drawn.All(text => seen.Text.Contains(text, StringComparison.Ordinal)) && truth.SameAs(seen))
            {
                return seen;
            }

            if (deadline.IsCancellationRequested)
            {
                truth.AssertSameAs(seen, "the connected client's screen");
                Assert.Fail($"The program did not draw {string.Join(", ", drawn)}:\n{seen.Text}");
            }

            // Something is still on its way: wait for the client to receive more (or look again shortly).
            await client.WaitForMoreAsync(TimeSpan.FromSeconds(1));
        }
    }
}
