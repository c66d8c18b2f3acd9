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
}

/// <summary>One configured region.</summary>
internal sealed class RegionDefinition
{
    /// <summary>Display name, e.g. <c>Europe (Frankfurt)</c>. Empty: <c>Local (&lt;hostname&gt;)</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The runtime that creates its machines. Default <c>local</c>.</summary>
    public string Runtime { get; set; } = "local";
}
