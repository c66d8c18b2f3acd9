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

    [Theory]
    [InlineData("LD_PRELOAD", true)]
    [InlineData("LD_AUDIT", true)]
    [InlineData("BASH_FUNC_x", true)]
    [InlineData("MALLOC_PERTURB_", true)]
    [InlineData("GLIBC_TUNABLES", true)]
    [InlineData("IFS", true)]
    [InlineData("NODE_OPTIONS", false)]
    [InlineData("PYTHONPATH", false)]
    [InlineData("ld_preload", false)]
    [InlineData("OLD_PRELOAD", false)]
    public void Steering_names_are_the_ones_the_loader_or_a_shell_reads(string name, bool steering) =>
        Assert.Equal(steering, SecretNames.IsSteering(name));

    [Fact]
    public void The_refusal_names_the_variable_and_says_why()
    {
        Assert.Null(SecretNames.Refusal("GITHUB_TOKEN"));
        Assert.StartsWith("The secret name 'LD_PRELOAD' is refused: it steers the dynamic loader or a shell (LD_*, MALLOC_*, BASH_FUNC_*, BASH_ENV,", SecretNames.Refusal("LD_PRELOAD"), StringComparison.Ordinal);
        Assert.StartsWith("The secret name 'PATH' is reserved", SecretNames.Refusal("PATH"), StringComparison.Ordinal);
        Assert.StartsWith("'1X' is not an environment variable name", SecretNames.Refusal("1X"), StringComparison.Ordinal);
    }
}
