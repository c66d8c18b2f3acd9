using Catty.Agent.Uploads;

namespace Catty.Agent.Tests.Uploads;

public sealed class UploadFileNameTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("/abs/path/x.txt", "x.txt")]
    [InlineData("a/b", "b")]
    [InlineData("..\\..\\win.ini", "win.ini")]
    [InlineData("..", "upload")]
    [InlineData("...", "upload")]
    [InlineData("", "upload")]
    [InlineData("dir/", "upload")]
    [InlineData(".bashrc", "bashrc")]
    [InlineData("...hidden.txt", "hidden.txt")]
    [InlineData("  spaced .txt  ", "spaced .txt")]
    [InlineData("tab\there\u0000nul\u007fdel", "tabherenuldel")]
    [InlineData("\u001b]0;title\u0007x", "]0;titlex")]
    [InlineData("café ☕.txt", "café ☕.txt")]
    public void Names_are_reduced_to_one_safe_component(string given, string expected) =>
        Assert.Equal(expected, UploadFileName.Sanitize(given));

    [Fact]
    public void Long_names_are_cut_keeping_the_extension()
    {
        var name = UploadFileName.Sanitize(new string('a', 500) + ".tar");

        Assert.Equal(UploadFileName.MaxLength, name.Length);
        Assert.EndsWith("a.tar", name, StringComparison.Ordinal);
    }
}
