using System.Buffers.Text;
using System.Text;

namespace Catty.Server.Tests.Push;

/// <summary>The tests' push receiver decrypts RFC 8291's own example before it is trusted with the server's messages.</summary>
public sealed class WebPushReceiverTests
{
    [Fact]
    public void It_decrypts_the_example_of_RFC_8291_appendix_A()
    {
        using var receiver = WebPushReceiver.FromPrivate(Base64Url.DecodeFromChars("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"), Base64Url.DecodeFromChars("BTBZMqHH6r4Tts7J_aSIgg"));
        Assert.Equal("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", receiver.P256dh);
        var body = Base64Url.DecodeFromChars(
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");

        Assert.Equal("When I grow up, I want to be a watermelon", Encoding.UTF8.GetString(receiver.Decrypt(body)));

        body[^1] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => receiver.Decrypt(body));
    }
}
