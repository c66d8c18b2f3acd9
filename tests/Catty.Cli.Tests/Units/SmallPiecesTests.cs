using Catty.Cli.Commands;
using Catty.Cli.Config;
using Catty.Cli.Output;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Units;

public sealed class SmallPiecesTests
{
    [Theory]
    [InlineData("2h", 7200)]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("45s", 45)]
    [InlineData("3600", 3600)]
    public void Durations_read_as_people_write_them(string text, int seconds) => Assert.Equal(seconds, DurationText.ToSeconds(text));

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(0.2, "1 s")]
    [InlineData(45, "45 s")]
    [InlineData(60, "1 min")]
    [InlineData(125, "2 min 5 s")]
    [InlineData(5400, "1 h 30 min")]
    public void Waits_are_written_as_people_read_them(double seconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("")]
    [InlineData("2 hours")]
    [InlineData("0m")]
    [InlineData("-1h")]
    public void Bad_durations_say_how_to_write_one(string text)
    {
        var failure = Assert.Throws<CliFailure>(() => DurationText.ToSeconds(text));
        Assert.Contains("2h", failure.Remedy, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
    }

    [Fact]
    public void Ages_are_relative()
    {
        var now = DateTimeOffset.Parse("2026-01-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("just now", RelativeTime.Format(now.AddSeconds(-5), now));
        Assert.Equal("5m ago", RelativeTime.Format(now.AddMinutes(-5), now));
        Assert.Equal("2h ago", RelativeTime.Format(now.AddHours(-2.5), now));
        Assert.Equal("3d ago", RelativeTime.Format(now.AddDays(-3), now));
    }

    [Fact]
    public void The_server_is_the_flag_then_the_environment_then_the_last_one_signed_in_to_then_the_default()
    {
        Assert.Equal("http://a:1/", ApiAddress.Resolve("http://a:1", "http://b:2", "http://c:3").ToString());
        Assert.Equal("http://b:2/", ApiAddress.Resolve(null, "http://b:2", "http://c:3").ToString());
        Assert.Equal("http://c:3/", ApiAddress.Resolve(null, "", "http://c:3").ToString());
        Assert.Equal(ApiAddress.Default + "/", ApiAddress.Resolve(null, null, null).ToString());
        Assert.Equal("https://catty.example/base/", ApiAddress.Resolve("https://catty.example/base", null, null).ToString());
        Assert.Equal("https://catty.example/base", ApiAddress.Key(ApiAddress.Parse("https://catty.example/base/", "x")));
        Assert.Throws<CliFailure>(() => ApiAddress.Resolve("ftp://x", null, null));
        Assert.Throws<CliFailure>(() => ApiAddress.Resolve("not a url", null, null));
    }

    [Fact]
    public void The_upload_url_is_the_connect_url_with_upload_over_http()
    {
        Assert.Equal("http://127.0.0.1:5080/v1/sessions/abc/upload", SessionUrls.UploadUrl("ws://127.0.0.1:5080/v1/sessions/abc/connect").ToString());
        Assert.Equal("https://catty.example/v1/sessions/abc/upload", SessionUrls.UploadUrl("wss://catty.example/v1/sessions/abc/connect").ToString());
        Assert.Throws<ArgumentException>(() => SessionUrls.UploadUrl("http://x/connect"));
        Assert.Throws<ArgumentException>(() => SessionUrls.UploadUrl("ws://x/other"));
    }
}
