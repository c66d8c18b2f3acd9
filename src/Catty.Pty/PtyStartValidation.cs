namespace Catty.Pty;

/// <summary>Rejects options that could not be passed to the child faithfully, before any resource is taken.</summary>
internal static class PtyStartValidation
{
    public static void Validate(PtyStartOptions options)
    {
        if (options.Argv is null || options.Argv.Count == 0)
            throw new ArgumentException("Argv must name a command.", nameof(options));
        for (int i = 0; i < options.Argv.Count; i++)
        {
            string? arg = options.Argv[i];
            if (arg is null)
                throw new ArgumentException($"Argv[{i}] is null.", nameof(options));
            if (arg.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException($"Argv[{i}] contains a NUL character.", nameof(options));
        }

        if (options.Argv[0].Length == 0)
            throw new ArgumentException("Argv[0] is empty.", nameof(options));

        if (options.Environment is { } environment)
        {
            foreach (var (key, value) in environment)
            {
                if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
                    throw new ArgumentException($"Environment variable name '{key}' is empty or contains '=' or NUL.", nameof(options));
                if (value is null || value.Contains('\0', StringComparison.Ordinal))
                    throw new ArgumentException($"Environment variable '{key}' has a null value or contains NUL.", nameof(options));
            }
        }

        if (options.WorkingDirectory is { } cwd)
        {
            if (cwd.Length == 0 || cwd.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException("WorkingDirectory is empty or contains NUL.", nameof(options));
            // posix_spawnp reports a failed chdir as ENOENT too, which would read as "command not found".
            if (!Directory.Exists(cwd))
                throw new PtyException(Native.LibC.ENOENT, $"working directory '{cwd}' does not exist");
        }

        if (options.InheritedHandles is null)
            throw new ArgumentException("InheritedHandles is null.", nameof(options));
        for (int i = 0; i < options.InheritedHandles.Count; i++)
        {
            if (options.InheritedHandles[i] is not { IsInvalid: false, IsClosed: false })
                throw new ArgumentException($"InheritedHandles[{i}] is not an open descriptor.", nameof(options));
        }

        ValidateSize(options.Cols, options.Rows);
    }

    public static void ValidateSize(int cols, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1, nameof(cols));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cols, ushort.MaxValue, nameof(cols));
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1, nameof(rows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, ushort.MaxValue, nameof(rows));
    }
}
