using Catty.Server.Sessions;

namespace Catty.Server.Tests.Units;

public sealed class SessionSecretsTests
{
    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("USER")]
    [InlineData("SHELL")]
    [InlineData("PWD")]
    [InlineData("CONNECT_TOKEN")]
    [InlineData("CATTY_CMD")]
    [InlineData("SESSION_LABEL")]
    [InlineData("R2_ACCESS_KEY_ID")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("FLY_API_TOKEN")]
    public void Every_reserved_name_is_refused_naming_it_and_never_showing_the_value(string name)
    {
        var refused = SessionSecrets.Check(new Dictionary<string, string> { [name] = "value-never-shown" }, maxSecrets: 10);

        Assert.NotNull(refused);
        Assert.Equal("reserved_secret", refused.Value.Error);
        Assert.Contains($"'{name}'", refused.Value.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("value-never-shown", refused.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ANTHROPIC_API_KEY")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("path")]
    [InlineData("R2")]
    public void Other_names_are_accepted(string name) =>
        Assert.Null(SessionSecrets.Check(new Dictionary<string, string> { [name] = "v" }, maxSecrets: 10));
}
