using System.Text;
using System.Text.Json.Nodes;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>Assertions shared by the replay tests, with failure messages that show both screens.</summary>
internal static class ReplayAssert
{
    /// <summary>The client that got the replay shows exactly what the client that saw the stream shows.</summary>
    public static void SameClientState(string name, JsonObject original, JsonObject replayed, byte[] replay)
    {
        var diffs = XtermReference.Diff(original, replayed);
        if (diffs.Count > 0)
        {
            Assert.Fail($"{name}: replay differs from the original stream (original | replay):\n  " +
                string.Join("\n  ", diffs) + "\n--- original screen ---\n" + Screen(original) +
                "\n--- replay screen ---\n" + Screen(replayed) + "\n--- replay bytes ---\n" + Printable(replay));
        }
    }

    /// <summary>The model itself agrees with xterm.js on the visible text, cursor and screen.</summary>
    public static void ModelMatchesReference(string name, TerminalScreen model, JsonObject reference)
    {
        string expected = string.Join('\n', reference["lines"]!.AsArray().Select(l => l!.GetValue<string>()));
        var cursor = reference["cursor"]!;
        var expectedCursor = (cursor["y"]!.GetValue<int>(), cursor["x"]!.GetValue<int>());
        bool alternate = reference["alternate"]!.GetValue<bool>();
        if (expected != model.GetScreenText() || expectedCursor != model.Cursor || alternate != model.AlternateScreen)
        {
            Assert.Fail($"{name}: model and xterm.js disagree.\n--- xterm.js (cursor {expectedCursor}, alt {alternate}) ---\n" +
                expected + $"\n--- model (cursor {model.Cursor}, alt {model.AlternateScreen}) ---\n" + model.GetScreenText());
        }
    }

    public static string Screen(JsonObject state) =>
        string.Join('\n', state["lines"]!.AsArray().Select((l, i) => $"{i,2}|{l!.GetValue<string>()}")) +
        $"\ncursor {state["cursor"]!.ToJsonString()} alternate {state["alternate"]}";

    /// <summary>Bytes with escapes made visible, cut to a readable length.</summary>
    public static string Printable(byte[] bytes, int max = 2000)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, max));
        var sb = new StringBuilder();
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '\u001b' => "\\e",
                '\r' => "\\r",
                '\n' => "\\n\n",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return bytes.Length > max ? sb + $"... ({bytes.Length} bytes)" : sb.ToString();
    }
}
