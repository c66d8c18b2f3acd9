using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catty.Cli.Commands;
using Catty.Cli.Config;
using Catty.Cli.Secrets;
using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Units;

/// <summary>~/.catty/secrets.json: its format, its modes, what it refuses, and that it only opens where it was written.</summary>
public sealed partial class SecretsFileTests : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public void Values_are_AES_GCM_as_v1_iv_tag_ciphertext_in_a_0600_file_in_a_0700_folder()
    {
        Directory.CreateDirectory(_home.CattyFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var store = Store();

        store.Set("GITHUB_TOKEN", "ghp_example-value");
        store.Set("OPENAI_KEY", "sk-other");

        var path = Path.Combine(_home.CattyFolder, "secrets.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_home.CattyFolder));
        var text = File.ReadAllText(path);
        Assert.DoesNotContain("ghp_example-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        var stored = json.RootElement.GetProperty("secrets").GetProperty("GITHUB_TOKEN").GetString()!;
        var match = StoredValue().Match(stored);
        Assert.True(match.Success, stored);
        Assert.Equal(12, Convert.FromBase64String(match.Groups[1].Value).Length);
        Assert.Equal(16, Convert.FromBase64String(match.Groups[2].Value).Length);
        Assert.Equal("ghp_example-value".Length, Convert.FromBase64String(match.Groups[3].Value).Length);
        Assert.Equal(["GITHUB_TOKEN", "OPENAI_KEY"], store.Names());
        Assert.Equal("ghp_example-value", store.DecryptAll()["GITHUB_TOKEN"]);
    }

    [Fact]
    public void Each_value_gets_its_own_iv_and_a_value_moved_to_another_name_does_not_open()
    {
        var store = Store();
        store.Set("A_SECRET", "same");
        store.Set("B_SECRET", "same");
        var path = Path.Combine(_home.CattyFolder, "secrets.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var secrets = json["secrets"]!;
        Assert.NotEqual(secrets["A_SECRET"]!.GetValue<string>(), secrets["B_SECRET"]!.GetValue<string>());
        secrets["B_SECRET"] = secrets["A_SECRET"]!.GetValue<string>();
        File.WriteAllText(path, json.ToJsonString());

        var failure = Assert.Throws<CliFailure>(() => Store().DecryptAll());
        Assert.Contains("B_SECRET", failure.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("A_SECRET", failure.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secrets_file_copied_to_another_home_does_not_decrypt_and_says_what_to_do()
    {
        Store().Set("TOKEN", "value");
        using var other = new TestHome();
        Directory.CreateDirectory(other.CattyFolder);
        File.Copy(Path.Combine(_home.CattyFolder, "secrets.json"), Path.Combine(other.CattyFolder, "secrets.json"));

        var failure = Assert.Throws<CliFailure>(() => new SecretStore(new CattyHome(other.Home), other.Home).DecryptAll());

        Assert.Contains("cannot be decrypted on this machine", failure.Problem, StringComparison.Ordinal);
        Assert.Contains("--no-secrets", failure.Remedy, StringComparison.Ordinal);
        Assert.Equal(["TOKEN"], new SecretStore(new CattyHome(other.Home), other.Home).Names());
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("USER")]
    [InlineData("SHELL")]
    [InlineData("PWD")]
    [InlineData("CONNECT_TOKEN")]
    [InlineData("CATTY_CMD")]
    [InlineData("SESSION_LABEL")]
    [InlineData("R2_ACCESS_KEY")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("FLY_API_TOKEN")]
    public void Reserved_names_are_refused_and_nothing_is_written(string name)
    {
        var failure = Assert.Throws<CliFailure>(() => Store().Set(name, "x"));

        Assert.Contains("reserved", failure.Problem, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.CattyFolder, "secrets.json")));
    }

    [Theory]
    [InlineData("1ABC")]
    [InlineData("WITH-DASH")]
    [InlineData("SPACE NAME")]
    [InlineData("")]
    public void Names_that_are_not_environment_variables_are_refused(string name)
    {
        var failure = Assert.Throws<CliFailure>(() => Store().Set(name, "x"));
        Assert.Contains("not an environment variable name", failure.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_forgets_one_name()
    {
        var store = Store();
        store.Set("KEEP", "1");
        store.Set("DROP", "2");

        Assert.True(store.Remove("DROP"));
        Assert.False(store.Remove("DROP"));
        Assert.Equal(["KEEP"], store.Names());
    }

    public void Dispose() => _home.Dispose();

    private SecretStore Store() => new(new CattyHome(_home.Home), _home.Home);

    [GeneratedRegex("^v1:([A-Za-z0-9+/]+=*):([A-Za-z0-9+/]+=*):([A-Za-z0-9+/]+=*)$")]
    private static partial Regex StoredValue();
}
