namespace Catty.Server.Regions;

/// <summary>Where sessions can run, bound from <c>Catty:Regions</c>.</summary>
internal sealed class RegionOptions
{
    public const string Section = "Catty:Regions";

    /// <summary>The region used when a request names none. Default <c>local</c>.</summary>
    public string Default { get; set; } = "local";

    /// <summary>
    /// Regions by id. Empty: one region <c>local</c> named after this machine and backed by the local runtime.
    /// Only regions whose runtime really works belong here.
    /// </summary>
    public Dictionary<string, RegionDefinition> Available { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Other names for regions, alias → region id (<c>Catty:Regions:Aliases:iad = local</c>). Catty's hosted
    /// region codes (<see cref="HostedCodes"/>) not set here map to <see cref="Default"/>, so a client
    /// written for the hosted service, which always names one, works unchanged; an empty value turns
    /// that code off. A configured region id always wins over an alias of the same name.
    /// </summary>
    public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The region codes of the hosted Catty service, which its CLI sends (<c>iad</c> by default).</summary>
    public static IReadOnlyList<string> HostedCodes { get; } = ["iad", "sjc", "lhr", "fra", "syd", "nrt"];
}

/// <summary>One configured region.</summary>
internal sealed class RegionDefinition
{
    /// <summary>Display name, e.g. <c>Europe (Frankfurt)</c>. Empty: <c>Local (&lt;hostname&gt;)</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The runtime that creates its machines. Default <c>local</c>.</summary>
    public string Runtime { get; set; } = "local";
}
