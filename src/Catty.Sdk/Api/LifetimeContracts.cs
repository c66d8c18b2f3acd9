namespace Catty.Sdk.Api;

/// <summary>Body of <c>POST /v1/sessions/{id-or-label}/extend</c>.</summary>
/// <param name="TtlSec">Seconds added to the session's auto-stop deadline (counted from now when the deadline has passed).</param>
public sealed record ExtendSessionRequest(int TtlSec);
