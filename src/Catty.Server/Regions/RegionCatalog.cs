using Catty.Sdk.Api;
using Microsoft.Extensions.Options;

namespace Catty.Server.Regions;

/// <summary>The configured regions as the API shows them.</summary>
internal sealed class RegionCatalog(IOptions<RegionOptions> options)
{
    public IReadOnlyList<RegionInfo> All { get; } = options.Value.Available
        .OrderBy(r => r.Key, StringComparer.Ordinal)
        .Select(r => new RegionInfo(r.Key, DisplayName(r.Value), r.Value.Runtime))
        .ToList();

    /// <summary>The region named <paramref name="id"/>, the default one for an empty id, or null when unknown.</summary>
    public RegionInfo? Find(string? id)
    {
        id = string.IsNullOrWhiteSpace(id) ? options.Value.Default : id;
        return All.FirstOrDefault(r => r.Id == id);
    }

    private static string DisplayName(RegionDefinition region) =>
        string.IsNullOrWhiteSpace(region.Name) ? $"Local ({Environment.MachineName})" : region.Name;
}
