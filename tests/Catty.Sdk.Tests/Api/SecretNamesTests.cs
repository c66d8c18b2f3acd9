using Catty.Sdk.Api;

namespace Catty.Sdk.Tests.Api;

public sealed class SecretNamesTests
{
    [Fact]
    public void The_reserved_list_names_every_reserved_name_and_prefix()
    {
        Assert.Equal("PATH, HOME, USER, SHELL, PWD, CONNECT_TOKEN, CATTY_CMD, SESSION_LABEL, R2_*, AWS_* and FLY_*", SecretNames.ReservedList);
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("SESSION_LABEL", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("FLY_API_TOKEN", true)]
    [InlineData("OPENAI_API_KEY", false)]
    [InlineData("path", false)]
    public void Reserved_names_are_the_ones_catty_sets(string name, bool reserved) => Assert.Equal(reserved, SecretNames.IsReserved(name));
}
