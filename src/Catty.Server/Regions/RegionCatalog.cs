using Catty.Sdk.Api;
using Microsoft.Extensions.Options;

namespace Catty.Server.Regions;

/// <summary>The configured regions as the API shows them, and the aliases that lead to them.</summary>
internal sealed class RegionCatalog
{
    private readonly RegionOptions _options;
    private readonly Dictionary<string, string> _aliases;

    public RegionCatalog(IOptions<RegionOptions> options)
    {
        _options = options.Value;
        _aliases = EffectiveAliases(_options);
        All = _options.Available
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new RegionInfo(r.Key, DisplayName(r.Value), r.Value.Runtime, AliasesOf(r.Key)))
            .ToList();
    }

    public IReadOnlyList<RegionInfo> All { get; }

    /// <summary>
    /// The region named <paramref name="id"/> (a region id or an alias), the default one for an empty id,
    /// or null when unknown.
    /// </summary>
    public RegionInfo? Find(string? id)
    {
        id = string.IsNullOrWhiteSpace(id) ? _options.Default : id;
        if (!_options.Available.ContainsKey(id) && _aliases.TryGetValue(id, out var target))
        {
            id = target;
        }

        return All.FirstOrDefault(r => r.Id == id);
    }

    /// <summary>
    /// Aliases as configured, plus every hosted code left unset mapped to the default region; empty
    /// values (turned off) and names that are region ids themselves are left out.
    /// </summary>
    internal static Dictionary<string, string> EffectiveAliases(RegionOptions options)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in RegionOptions.HostedCodes)
        {
            aliases[code] = options.Default;
        }

        foreach (var (alias, target) in options.Aliases)
        {
            aliases[alias] = target;
        }

        foreach (var alias in aliases.Keys.ToList())
        {
            if (string.IsNullOrEmpty(aliases[alias]) || options.Available.ContainsKey(alias))
            {
                aliases.Remove(alias);
            }
        }

        return aliases;
    }

    private IReadOnlyList<string> AliasesOf(string id) =>
        [.. _aliases.Where(a => a.Value == id).Select(a => a.Key).Order(StringComparer.Ordinal)];

    private static string DisplayName(RegionDefinition region) =>
        string.IsNullOrWhiteSpace(region.Name) ? $"Local ({Environment.MachineName})" : region.Name;
}
