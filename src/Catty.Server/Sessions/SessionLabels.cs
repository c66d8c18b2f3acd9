using System.Security.Cryptography;

namespace Catty.Server.Sessions;

/// <summary>Labels people can say and type: <c>adjective-animal-NNNN</c> (50 × 50 × 9000 ≈ 22 million).</summary>
internal static class SessionLabels
{
    private static readonly string[] Adjectives =
    [
        "brave", "calm", "clever", "cosy", "curious", "daring", "eager", "fancy", "fierce", "gentle",
        "giddy", "glad", "golden", "happy", "hardy", "humble", "jolly", "keen", "kind", "lively",
        "lucky", "merry", "mighty", "misty", "nimble", "noble", "plucky", "polite", "proud", "quick",
        "quiet", "rapid", "rosy", "rusty", "sharp", "shiny", "silent", "silly", "sleepy", "smart",
        "snowy", "sunny", "swift", "tidy", "tiny", "vivid", "warm", "wild", "witty", "zesty",
    ];

    private static readonly string[] Animals =
    [
        "badger", "bear", "beaver", "bison", "camel", "cat", "cheetah", "cobra", "crane", "crow",
        "deer", "dolphin", "eagle", "falcon", "ferret", "finch", "fox", "gecko", "goat", "goose",
        "hare", "hawk", "heron", "ibis", "jaguar", "koala", "lemur", "lion", "llama", "lynx",
        "marmot", "mole", "moose", "newt", "otter", "owl", "panda", "parrot", "puffin", "rabbit",
        "raven", "seal", "shark", "sloth", "stoat", "swan", "tiger", "toad", "walrus", "wolf",
    ];

    public static string Next() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Animals[RandomNumberGenerator.GetInt32(Animals.Length)]}-{RandomNumberGenerator.GetInt32(1000, 10000)}";

    /// <summary>12 hex digits: short enough for socket paths, random enough never to collide in practice.</summary>
    public static string NextMachineId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
