namespace Catty.Server.Push;

/// <summary>The events a subscription can switch on, by their wire names.</summary>
internal static class PushEvents
{
    /// <summary>The program asks a question or for a permission.</summary>
    public const string NeedsInput = "needs_input";

    /// <summary>The program finished its turn and waits.</summary>
    public const string Idle = "idle";

    /// <summary>The session stopped by anything but its owner (deadline, inactivity, the program's exit, a limit).</summary>
    public const string Stopped = "stopped";

    /// <summary>The session stops at its deadline soon (<see cref="PushOptions.ExpiryWarning"/>).</summary>
    public const string Expiring = "expiring";

    public static readonly IReadOnlyList<string> All = [NeedsInput, Idle, Stopped, Expiring];

    public static IReadOnlyList<string> Parse(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(All.Contains).ToList();
}
