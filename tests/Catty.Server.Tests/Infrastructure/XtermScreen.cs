using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// What a terminal shows after a byte stream, rendered by xterm.js headless (tests/tools/xterm, the same
/// emulator the dashboard uses): every line with its attributes, the cursor, the active buffer and modes.
/// </summary>
internal sealed record XtermScreen(IReadOnlyList<string> Lines, IReadOnlyList<string> Attributes, string State)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>The visible text, one line per row.</summary>
    public string Text => string.Join('\n', Lines);

    /// <summary>Renders each stream in a fresh <paramref name="cols"/>×<paramref name="rows"/> terminal.</summary>
    public static async Task<IReadOnlyList<XtermScreen>> RenderAsync(int cols, int rows, params byte[][] streams)
    {
        var tools = RepoTools.Dir("xterm");
        if (!File.Exists(Path.Combine(tools, "node_modules", "@xterm", "headless", "package.json")))
        {
            throw new InvalidOperationException($"xterm.js headless is not installed in {tools}. Run `bash scripts/install-deps.sh`.");
        }

        var input = new JsonObject
        {
            ["cases"] = new JsonArray(streams.Select((data, i) => (JsonNode)new JsonObject
            {
                ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["cols"] = cols,
                ["rows"] = rows,
                ["steps"] = new JsonArray(new JsonObject { ["data"] = Convert.ToBase64String(data) }),
            }).ToArray()),
        };
        using var node = Process.Start(new ProcessStartInfo("node", ["render.mjs", "--batch"])
        {
            WorkingDirectory = tools,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        })!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.StandardInput.WriteAsync(input.ToJsonString());
        node.StandardInput.Close();
        await node.WaitForExitAsync().Within("xterm.js to render", Limit);
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"render.mjs failed ({node.ExitCode}): {await stderr}");
        }

        return JsonNode.Parse(await stdout)!.AsArray().Select(r => From(r!.AsObject())).ToList();
    }

    private static XtermScreen From(JsonObject result)
    {
        var active = result["active"]!.AsObject();
        var ybase = active["scrollbackLength"]!.GetValue<int>();
        var lines = active["lines"]!.AsArray().Skip(ybase).Select(l => l!.AsObject()).ToList();
        var state = new JsonObject
        {
            ["cursor"] = result["cursor"]!.DeepClone(),
            ["alternate"] = result["alternate"]!.DeepClone(),
            ["cursor_hidden"] = result["cursorHidden"]!.DeepClone(),
            ["modes"] = result["modes"]!.DeepClone(),
        };
        return new XtermScreen(
            lines.Select(l => l["text"]!.GetValue<string>()).ToList(),
            lines.Select(l => l["attrs"]!.GetValue<string>()).ToList(),
            state.ToJsonString());
    }

    /// <summary>Whether <paramref name="other"/> shows the same: text, attributes, cursor, buffer and modes.</summary>
    public bool SameAs(XtermScreen other) =>
        Lines.SequenceEqual(other.Lines) && Attributes.SequenceEqual(other.Attributes) && State == other.State;

    /// <summary>Fails with the first differing rows when <paramref name="actual"/> does not show what this screen shows.</summary>
    public void AssertSameAs(XtermScreen actual, string what)
    {
        var diffs = new List<string>();
        for (var row = 0; row < Math.Max(Lines.Count, actual.Lines.Count) && diffs.Count < 8; row++)
        {
            var (a, b) = (Lines.ElementAtOrDefault(row), actual.Lines.ElementAtOrDefault(row));
            var (aa, ba) = (Attributes.ElementAtOrDefault(row), actual.Attributes.ElementAtOrDefault(row));
            if (a != b)
            {
                diffs.Add($"row {row} text:\n  expected: {a}\n  actual:   {b}");
            }
            else if (aa != ba)
            {
                diffs.Add($"row {row} attributes:\n  expected: {aa}\n  actual:   {ba}");
            }
        }

        if (State != actual.State)
        {
            diffs.Add($"state:\n  expected: {State}\n  actual:   {actual.State}");
        }

        Assert.True(diffs.Count == 0, $"{what} differs:\n{string.Join('\n', diffs)}\n--- expected screen ---\n{Text}\n--- actual screen ---\n{actual.Text}");
    }
}
