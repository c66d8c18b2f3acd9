namespace Catty.Server.Runtimes;

/// <summary>The runtimes this server has, by name.</summary>
internal sealed class SessionRuntimes(IEnumerable<ISessionRuntime> runtimes)
{
    private readonly Dictionary<string, ISessionRuntime> _byName = runtimes.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public ISessionRuntime Get(string name) =>
        _byName.TryGetValue(name, out var runtime) ? runtime : throw new InvalidOperationException($"No runtime '{name}' (regions are validated at start).");
}
