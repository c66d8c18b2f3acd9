namespace Catty.Server.Scheduling;

/// <summary>Automatic stops, bound from <c>Catty:Scheduling</c>.</summary>
internal sealed class SchedulingOptions
{
    public const string Section = "Catty:Scheduling";

    /// <summary>How often deadlines and inactivity are checked. Default 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A session whose agent reports no activity (client input or program output) for this long stops as
    /// <c>timed_out</c>/<c>inactive</c>. Default 2 hours; zero turns the check off.
    /// </summary>
    public TimeSpan InactivityLimit { get; set; } = TimeSpan.FromHours(2);
}
