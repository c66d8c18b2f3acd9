using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Hosting;

/// <summary>Reads the one <see cref="AgentLaunchSpec"/> the server writes to our stdin, and checks it.</summary>
internal static class LaunchSpecReader
{
    private const int MaxSpecBytes = 1024 * 1024;

    public static AgentLaunchSpec? Read(Stream input, out string? error)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = input.Read(chunk)) > 0)
        {
            if (buffer.Length + n > MaxSpecBytes)
            {
                error = $"launch spec is larger than {MaxSpecBytes} bytes";
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out error);
    }

    public static AgentLaunchSpec? Parse(ReadOnlySpan<byte> json, out string? error)
    {
        AgentLaunchSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, CattyJson.Default.AgentLaunchSpec);
        }
        catch (JsonException e)
        {
            error = Describe(e);
            return null;
        }
        error = Validate(spec);
        return error is null ? spec : null;
    }

    /// <summary>
    /// Names what is wrong without quoting the input, which holds secrets: a missing or mistyped property
    /// is named (those messages carry only names and types); anything else gets a position.
    /// </summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        // Inside the agent messages may be bare resource keys (UseSystemResourceKeys), e.g. JsonRequiredPropertiesMissing.
        if (message.StartsWith("JSON deserialization for type", StringComparison.Ordinal)
            || message.StartsWith("JsonRequiredPropertiesMissing", StringComparison.Ordinal)
            || message.StartsWith("DeserializeUnableToConvertValue", StringComparison.Ordinal)
            || message.StartsWith("JsonNullForNonNullable", StringComparison.Ordinal)
            || message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            || message.StartsWith("The constructor parameter", StringComparison.Ordinal)
            || message.Contains("non-nullable", StringComparison.Ordinal))
            return "launch spec is not usable: " + message;
        return $"launch spec is not valid JSON (path {e.Path ?? "$"}, line {e.LineNumber}, byte {e.BytePositionInLine})";
    }

    private static string? Validate(AgentLaunchSpec? spec)
    {
        if (spec is null)
            return "launch spec is empty";
        if (spec.Argv is not { Count: > 0 } || string.IsNullOrEmpty(spec.Argv[0]))
            return "launch spec needs a non-empty argv";
        if (spec.Argv.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
            return "argv entries must be strings without NUL";
        if (spec.Env is null)
            return "launch spec needs env (it may be empty)";
        foreach (var (name, value) in spec.Env)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
                || value is null || value.Contains('\0', StringComparison.Ordinal))
                return $"environment variable name '{(name.Contains('\0', StringComparison.Ordinal) ? "?" : name)}' or its value is not usable";
        }
        if (spec.Cols is < 1 or > 1000 || spec.Rows is < 1 or > 1000)
            return "cols and rows must be between 1 and 1000";
        if (spec.Sandbox is not ("auto" or "bwrap" or "none"))
            return "sandbox must be auto, bwrap or none";
        if (spec.ReadOnlyPaths is { } paths && paths.Any(p => !IsAbsoluteFolder(p)))
            return $"read-only path '{paths.First(p => !IsAbsoluteFolder(p)) ?? "null"}' must be an absolute path without NUL";
        if (spec.HomeTemplate is { } template && !IsAbsoluteFolder(template))
            return $"home template '{template}' must be an absolute path without NUL";
        if (spec.StartHoldMs is < 0 or > 3_600_000)
            return "start_hold_ms must be between 0 and 3600000";
        if (spec.TmpMb is < 0 or > 1024 * 1024)
            return "tmp_mb must be between 0 (uncapped) and 1048576";
        if (spec.ProgramCgroupProcs is { } procs && !(IsAbsoluteFolder(procs) && procs.EndsWith("/cgroup.procs", StringComparison.Ordinal)))
            return "program_cgroup_procs must be the absolute path of a cgroup.procs file";
        if (spec.Network is { } network)
        {
            if (!AgentNetworkMode.IsKnown(network.Mode))
                return "network mode must be isolated, host or none";
            foreach (var cidr in network.Allow ?? [])
            {
                if (!AgentNetworkSpec.TryParseCidr(cidr, out _))
                    return $"network allow entry '{cidr?.Replace('\0', '?') ?? "null"}' is not a CIDR such as 10.1.2.0/24";
            }
        }
        return null;
    }

    private static bool IsAbsoluteFolder(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal);
}
