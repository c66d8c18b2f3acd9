using System.Text;
using Catty.Agent.Hosting;

namespace Catty.Agent.Tests.Hosting;

public sealed class CommandLineAndSpecTests
{
    [Fact]
    public void Parses_the_command_line_with_unix_and_tcp_listeners_and_options()
    {
        var unix = AgentCommandLine.Parse(["--listen", "unix:/run/a.sock", "--workspace", "/w", "--state-dir", "/s", "--linger-minutes", "3"], out _)!;
        var tcp = AgentCommandLine.Parse(["--listen", "tcp:127.0.0.1:0", "--workspace", "/w", "--state-dir", "/s", "--option", "ping-interval-ms=100"], out _)!;

        Assert.Equal("/run/a.sock", unix.Listen.UnixPath);
        Assert.Equal(TimeSpan.FromMinutes(3), unix.Options.LingerAfterExit);
        Assert.Equal(0, tcp.Listen.Tcp!.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(100), tcp.Options.PingInterval);
    }

    [Theory]
    [InlineData("--listen unix:relative.sock --workspace /w --state-dir /s", "absolute")]
    [InlineData("--listen tcp:localhost:80 --workspace /w --state-dir /s", "--listen must be")]
    [InlineData("--workspace /w --state-dir /s", "required")]
    [InlineData("--listen unix:/a --workspace /w --state-dir /s --option nope=1", "unknown or invalid --option")]
    [InlineData("--listen unix:/a --workspace /w --state-dir", "needs a value")]
    public void Refuses_bad_command_lines_with_a_reason(string args, string reason)
    {
        Assert.Null(AgentCommandLine.Parse(args.Split(' '), out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private const string Head = "\"session_id\":\"00000000-0000-0000-0000-000000000001\",\"label\":\"l\",";

    [Theory]
    [InlineData("{" + Head + "\"argv\":[],\"env\":{}}", "non-empty argv")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"]}", "missing required properties including: 'env'")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":null}", "env")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{\"A=B\":\"x\"}}", "not usable")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{},\"cols\":0}", "between 1 and 1000")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{},\"cols\":\"wide\"}", "could not be converted")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{},\"sandbox\":\"docker\"}", "sandbox must be")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{},\"network\":{\"mode\":\"open\"}}", "network mode must be")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{},\"network\":{\"mode\":\"isolated\",\"allow\":[\"10.0.0.1/8\"]}}", "is not a CIDR")]
    [InlineData("{" + Head + "\"argv\":[\"sh\"],\"env\":{},\"network\":{\"mode\":\"isolated\",\"allow\":[\"example.com\"]}}", "is not a CIDR")]
    [InlineData("{\"argv\":[\"sh\"],\"env\":{\"K\":\"s3cr3t\"}", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("null", "empty")]
    public void Refuses_bad_launch_specs_with_a_reason(string json, string reason)
    {
        Assert.Null(LaunchSpecReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_launch_spec_with_defaults()
    {
        var spec = LaunchSpecReader.Read(new MemoryStream("{\"session_id\":\"00000000-0000-0000-0000-000000000001\",\"label\":\"l\",\"argv\":[\"claude\"],\"env\":{\"K\":\"v\"}}"u8.ToArray()), out var error)!;

        Assert.Null(error);
        Assert.Equal(120, spec.Cols);
        Assert.Equal(40, spec.Rows);
        Assert.Equal("auto", spec.Sandbox);
        Assert.Null(spec.Network);
        Assert.Null(spec.AgentToken);
    }
}
