using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Attention;

/// <summary>
/// Configures the program's own hooks in the session's private home so they report to <see cref="HookListener"/>:
/// Claude Code's hooks in <c>.claude/settings.json</c> (merged with a template's settings) and Codex's
/// <c>notify</c> in <c>.codex/config.toml</c>. Both run <c>.catty/hook.js</c> under node, which both agents
/// need anyway. Nothing here is trusted later: the program may rewrite all of it and only loses its reports.
/// </summary>
internal static class HookInstaller
{
    /// <summary>The folder in the home that holds the hook socket and script.</summary>
    public const string Folder = ".catty";
    public const string SocketName = "hooks.sock";
    public const string ScriptName = "hook.js";

    /// <summary>The variable that carries the report token to the hooks.</summary>
    public const string TokenVariable = "CATTY_HOOK_TOKEN";

    private static readonly string[] ClaudeEvents =
        ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PermissionRequest", "Notification", "Stop", "SessionEnd"];

    /// <summary>
    /// Writes the script and the program's configuration. <paramref name="programHome"/> is the home as the
    /// program sees it (/home/catty in the sandbox). Returns null, or why the hooks could not be configured.
    /// </summary>
    public static string? Install(string source, string home, string programHome)
    {
        var folder = Path.Combine(home, Folder);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(folder, ScriptName), Script);
        var script = programHome.TrimEnd('/') + "/" + Folder + "/" + ScriptName;
        return source switch
        {
            AttentionSource.Claude => InstallClaude(Path.Combine(home, ".claude"), script),
            AttentionSource.Codex => InstallCodex(Path.Combine(home, ".codex"), script),
            _ => null,
        };
    }

    private static string? InstallClaude(string folder, string script)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "settings.json");
        JsonObject settings;
        try
        {
            settings = File.Exists(path)
                ? JsonNode.Parse(File.ReadAllBytes(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                    ?? throw new JsonException("not an object")
                : [];
        }
        catch (JsonException e)
        {
            return $"{path} is not a JSON object ({e.Message}); Claude Code's hooks are not configured";
        }
        if (settings["hooks"] is not JsonObject hooks)
        {
            hooks = [];
            settings["hooks"] = hooks;
        }
        foreach (var name in ClaudeEvents)
        {
            if (hooks[name] is not JsonArray entries)
            {
                entries = [];
                hooks[name] = entries;
            }
            // Installed once per home: an agent started again on the same state keeps the entries it wrote.
            if (entries.ToJsonString().Contains("/" + Folder + "/" + ScriptName, StringComparison.Ordinal))
                continue;
            var command = new JsonObject { ["type"] = "command", ["command"] = $"node {Quote(script)} claude {name}", ["timeout"] = 10 };
            var entry = new JsonObject { ["hooks"] = new JsonArray(command) };
            if (name is "PreToolUse" or "PostToolUse" or "PermissionRequest")
                entry["matcher"] = "*";
            entries.Add((JsonNode)entry);
        }
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        settings.WriteTo(writer);
        return null;
    }

    private static string? InstallCodex(string folder, string script)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "config.toml");
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        if (existing.Contains("/" + Folder + "/" + ScriptName, StringComparison.Ordinal))
            return null;
        if (existing.Split('\n').Any(line => line.TrimStart().StartsWith("notify", StringComparison.Ordinal)))
            return $"{path} sets notify already; Codex's reports are not configured";
        // A top-level key must come before the first table, so it goes first.
        var line = $"notify = [\"node\", {TomlString(script)}, \"codex\", \"notify\"]\n";
        File.WriteAllText(path, line + existing);
        return null;
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string TomlString(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
            sb.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// The hook: sends its payload (Claude Code: standard input; Codex: the last argument) to the session's
    /// socket and exits 0 without output whatever happens, so a report never changes what the agent does.
    /// </summary>
    internal const string Script = """
        // Reports one hook event to this session's catty-agent. Exits 0 silently in every case.
        'use strict';
        const net = require('net');
        const path = require('path');
        const os = require('os');
        const [source, event, arg] = process.argv.slice(2);
        const token = process.env.CATTY_HOOK_TOKEN || '';
        const socket = path.join(os.homedir(), '.catty', 'hooks.sock');
        setTimeout(() => process.exit(0), 5000).unref();
        function send(body) {
          if (!token || !/^[A-Za-z_-]{1,40}$/.test(event || '')) process.exit(0);
          const c = net.createConnection(socket, () => {
            c.end(Buffer.concat([Buffer.from(`CATTY-HOOK 1 ${token} ${source} ${event}\n`), body.subarray(0, 65536)]));
          });
          c.on('error', () => process.exit(0));
          c.on('close', () => process.exit(0));
          c.resume();
        }
        if (arg !== undefined) {
          send(Buffer.from(arg));
        } else {
          const chunks = [];
          process.stdin.on('data', (d) => chunks.push(d));
          process.stdin.on('end', () => send(Buffer.concat(chunks)));
          process.stdin.on('error', () => send(Buffer.alloc(0)));
        }

        """;
}
