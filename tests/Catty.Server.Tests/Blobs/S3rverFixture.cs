using System.Diagnostics;
using System.Text;

namespace Catty.Server.Tests.Blobs;

/// <summary>
/// Runs s3rver (an S3-compatible server on Node.js, pinned in tests/tools/s3rver) on a loopback port of
/// its own choosing (it prints which) for the tests of one collection, over a temporary folder. When
/// Node.js or s3rver is missing the fixture fails with what to run, so the S3 tests fail rather than vanish.
/// </summary>
public sealed partial class S3rverFixture : IDisposable
{
    /// <summary>The credentials s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <inheritdoc cref="AccessKey"/>
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dataDir;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public S3rverFixture()
    {
        var tools = Path.Combine(FindRepositoryRoot(), "tests", "tools", "s3rver");
        var launcher = Path.Combine(tools, "node_modules", ".bin", "s3rver");
        if (!File.Exists(launcher))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed in {tools}; the S3 blob store tests need it. Run `bash scripts/install-deps.sh` (it runs `npm ci` there).");
        }

        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "Node.js (`node`) is not on PATH; the S3 blob store tests run s3rver with it. Run `bash scripts/install-deps.sh`.");

        _dataDir = Directory.CreateTempSubdirectory("catty-s3rver-").FullName;
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver encrypts list continuation tokens with DES, which OpenSSL 3 only offers through its legacy provider.
        foreach (var argument in new[] { "--openssl-legacy-provider", launcher, "-d", _dataDir, "-a", "127.0.0.1", "-p", "0", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start s3rver.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            ServiceUrl = new Uri($"http://127.0.0.1:{WaitUntilListeningAsync().GetAwaiter().GetResult()}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Where s3rver listens.</summary>
    public Uri ServiceUrl { get; }

    /// <summary>A bucket name no other test uses.</summary>
    public static string NewBucketName() => "t-" + Guid.NewGuid().ToString("N")[..20];

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>The port s3rver says it listens on ("S3rver listening on 127.0.0.1:PORT", printed even when silent).</summary>
    private async Task<int> WaitUntilListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(StartDeadline));
        if (first == _listening.Task)
        {
            return await _listening.Task;
        }

        throw new InvalidOperationException(first == exited
            ? $"s3rver exited with code {_process.ExitCode} before listening. Its output:\n{Output()}"
            : $"s3rver did not say it was listening within {StartDeadline.TotalSeconds} s. Its output:\n{Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(nothing)" : _output.ToString();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Catty.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Catty.slnx.");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    [System.Text.RegularExpressions.GeneratedRegex(@"^S3rver listening on 127\.0\.0\.1:(\d+)$")]
    private static partial System.Text.RegularExpressions.Regex ListeningLine();
}

/// <summary>The tests that share one s3rver.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
