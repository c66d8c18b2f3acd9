using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Catty.Server.Tests.Blobs;

/// <summary>
/// Runs s3rver (an S3-compatible server on Node.js, pinned in tests/tools/s3rver) on a free loopback
/// port for the tests of one collection, over a temporary folder. When Node.js or s3rver is missing the
/// fixture fails with what to run, so the S3 tests fail rather than vanish.
/// </summary>
public sealed class S3rverFixture : IDisposable
{
    /// <summary>The credentials s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <inheritdoc cref="AccessKey"/>
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dataDir;
    private readonly StringBuilder _output = new();

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
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver encrypts list continuation tokens with DES, which OpenSSL 3 only offers through its legacy provider.
        foreach (var argument in new[] { "--openssl-legacy-provider", launcher, "-d", _dataDir, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start s3rver.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ServiceUrl = new Uri($"http://127.0.0.1:{port}");
        try
        {
            WaitUntilListeningAsync(port).GetAwaiter().GetResult();
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

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        using var retry = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} before listening. Its output:\n{Output()}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartDeadline)
            {
                await retry.WaitForNextTickAsync();
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"s3rver did not accept connections on port {port} within {StartDeadline.TotalSeconds} s ({e.SocketErrorCode}). Its output:\n{Output()}");
            }
        }
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The tests that share one s3rver.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
