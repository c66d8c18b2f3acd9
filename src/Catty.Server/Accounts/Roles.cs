namespace Catty.Server.Accounts;

/// <summary>What a user may do: the owner administers the server, members use it.</summary>
internal static class Roles
{
    /// <summary>Created on first start; invites people, reads the audit log, sees everyone's sessions.</summary>
    public const string Owner = "owner";

    /// <summary>Everyone the owner invited.</summary>
    public const string Member = "member";
}
