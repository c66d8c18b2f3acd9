namespace Catty.Server.Audit;

/// <summary>The events the audit log records.</summary>
internal static class AuditKinds
{
    public const string SignIn = "sign_in";
    public const string SignInFailed = "sign_in_failed";
    public const string SignOut = "sign_out";
    public const string PasswordChanged = "password_changed";
    public const string InviteCreated = "invite_created";
    public const string InviteUsed = "invite_used";
    public const string ExternalLoginLinked = "external_login_linked";
    public const string DeviceApproved = "device_approved";
    public const string DeviceDenied = "device_denied";
    public const string LoginRevoked = "login_revoked";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string TokenCreated = "token_created";
    public const string TokenRevoked = "token_revoked";
    public const string SessionCreated = "session_created";
    public const string SessionStopped = "session_stopped";
}
