using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catty.Agent.Tests.Screen;

/// <summary>One stream for the reference emulator: bytes to write, optionally with resizes in between.</summary>
internal sealed record RenderCase(string Id, int Cols, int Rows, int Scrollback, IReadOnlyList<RenderStep> Steps)
{
    public static RenderCase Of(string id, int cols, int rows, int scrollback, byte[] data) =>
        new(id, cols, rows, scrollback, [RenderStep.Write(data)]);
}

internal sealed record RenderStep(byte[]? Data, (int Cols, int Rows)? Resize)
{
    public static RenderStep Write(byte[] data) => new(data, null);

    public static RenderStep ResizeTo(int cols, int rows) => new(null, (cols, rows));
}

/// <summary>
/// Runs xterm.js headless (tests/tools/xterm/render.mjs) on many streams in one Node process
/// and returns what each client would show. Missing Node or packages fail loudly: these tests
/// must not pass by not running.
/// </summary>
internal static partial class XtermReference
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ToolDir => Path.Combine(RepoRoot, "tests", "tools", "xterm");

    public static string FixtureDir => Path.Combine(RepoRoot, "tests", "Catty.Agent.Tests", "Screen", "Fixtures");

    public static IReadOnlyDictionary<string, JsonObject> Render(IReadOnlyList<RenderCase> cases)
    {
        if (!File.Exists(Path.Combine(ToolDir, "node_modules", "@xterm", "headless", "package.json")))
        {
            throw new InvalidOperationException(
                $"The xterm.js reference emulator is not installed in {ToolDir}. Run scripts/install-deps.sh " +
                "(or `npm ci` in tests/tools/xterm); the screen tests compare against it and cannot run without it.");
        }
        var input = new JsonObject
        {
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["cols"] = c.Cols,
                ["rows"] = c.Rows,
                ["scrollback"] = c.Scrollback,
                ["steps"] = new JsonArray(c.Steps.Select(s => (JsonNode)(s.Data is not null
                    ? new JsonObject { ["data"] = Convert.ToBase64String(s.Data) }
                    : new JsonObject { ["resize"] = new JsonArray(s.Resize!.Value.Cols, s.Resize.Value.Rows) })).ToArray()),
            }).ToArray()),
        };
        string output = RunNode(input.ToJsonString());
        var results = JsonNode.Parse(output)!.AsArray();
        return results.ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!.AsObject());
    }

    private static string RunNode(string stdin)
    {
        var psi = new ProcessStartInfo("node", ["render.mjs", "--batch"])
        {
            WorkingDirectory = ToolDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "Node.js (`node`) is not on PATH; the screen tests render through xterm.js and need it. " +
                "Install Node.js 20+ and run scripts/install-deps.sh.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            if (!process.WaitForExit(Deadline))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"render.mjs did not finish within {Deadline.TotalSeconds} s");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"render.mjs failed ({process.ExitCode}): {stderr.Result}");
            }
            return stdout.Result;
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Catty.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Catty.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Differences between two JSON values as "path: expected | actual" lines (at most <paramref name="max"/>).</summary>
    public static List<string> Diff(JsonNode? expected, JsonNode? actual, int max = 12)
    {
        var diffs = new List<string>();
        Walk("$", expected, actual, diffs, max);
        return diffs;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<string> diffs, int max)
    {
        if (diffs.Count >= max || JsonNode.DeepEquals(a, b))
        {
            return;
        }
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
            {
                if (key == "id")
                {
                    continue;
                }
                Walk($"{path}.{key}", oa[key], ob[key], diffs, max);
            }
            return;
        }
        if (a is JsonArray aa && b is JsonArray ab)
        {
            if (aa.Count != ab.Count)
            {
                diffs.Add($"{path}: length {aa.Count} | {ab.Count}");
            }
            for (int i = 0; i < Math.Min(aa.Count, ab.Count); i++)
            {
                Walk($"{path}[{i}]", aa[i], ab[i], diffs, max);
            }
            return;
        }
        if (path.EndsWith(".attrs", StringComparison.Ordinal) && a is JsonValue va && b is JsonValue vb
            && SameIgnoringLostLinks(va.GetValue<string>(), vb.GetValue<string>()))
        {
            return;
        }
        diffs.Add($"{path}: {Show(a)} | {Show(b)}");
    }

    // xterm.js forgets a hyperlink's URI once the lines it was registered on are gone, while
    // cells elsewhere still carry it ("L?"); the replay registers it afresh. Both show a link.
    private static bool SameIgnoringLostLinks(string a, string b)
    {
        if (!a.Contains(" L?", StringComparison.Ordinal) && !b.Contains(" L?", StringComparison.Ordinal))
        {
            return false;
        }
        return Cells(LinkUri().Replace(a, " L")).SequenceEqual(Cells(LinkUri().Replace(b, " L")));
    }

    // "3*key | 1*key2" as one key per cell.
    private static IEnumerable<string> Cells(string runs) =>
        runs.Split(" | ").SelectMany(run =>
        {
            int star = run.IndexOf('*', StringComparison.Ordinal);
            return Enumerable.Repeat(run[(star + 1)..], int.Parse(run[..star], System.Globalization.CultureInfo.InvariantCulture));
        });

    [System.Text.RegularExpressions.GeneratedRegex(@" L\S+")]
    private static partial System.Text.RegularExpressions.Regex LinkUri();

    private static string Show(JsonNode? n) => n is null ? "null" : n.ToJsonString(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
