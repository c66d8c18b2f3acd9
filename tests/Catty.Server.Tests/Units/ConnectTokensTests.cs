using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Catty.Server.Tests.Units;

public sealed class ConnectTokensTests : IDisposable
{
    private readonly TestDataDir _data = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void A_token_opens_its_own_session_until_it_expires()
    {
        var tokens = Tokens();
        var session = Guid.NewGuid();
        var issued = tokens.Issue(session);

        Assert.StartsWith("cct_", issued.Token, StringComparison.Ordinal);
        Assert.True(tokens.IsValid(issued.Token, session));
        Assert.False(tokens.IsValid(issued.Token, Guid.NewGuid()));
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(tokens.IsValid(issued.Token, session));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(tokens.IsValid(issued.Token, session));
    }

    [Fact]
    public void A_token_survives_a_restart_because_the_key_lives_in_the_data_directory()
    {
        var session = Guid.NewGuid();
        var issued = Tokens().Issue(session);

        Assert.True(Tokens().IsValid(issued.Token, session));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cct_")]
    [InlineData("cct_not-base64-!!")]
    [InlineData("catty_an-api-token-is-not-a-connect-token")]
    public void Malformed_tokens_are_refused(string? token) =>
        Assert.False(Tokens().IsValid(token, Guid.NewGuid()));

    [Fact]
    public void A_token_with_any_byte_changed_is_refused()
    {
        var tokens = Tokens();
        var session = Guid.NewGuid();
        var token = tokens.Issue(session).Token;

        for (var i = 4; i < token.Length; i++)
        {
            var flipped = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.False(tokens.IsValid(flipped, session), $"changed at {i}");
        }
    }

    public void Dispose() => _data.Dispose();

    private ConnectTokens Tokens()
    {
        var data = new DataDirectory(Options.Create(new CattyOptions { DataDir = _data.Path }));
        return new ConnectTokens(new ServerKey(new FileSecretKeyStore(data)), _clock, Options.Create(new AuthOptions()));
    }
}
