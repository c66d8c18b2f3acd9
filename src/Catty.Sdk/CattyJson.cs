using System.Text.Json.Serialization;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Sdk.Terminal;

namespace Catty.Sdk;

/// <summary>Source-generated JSON for every Catty contract: snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ControlMessage))]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(CreateSessionResponse))]
[JsonSerializable(typeof(ExtendSessionRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(List<SessionInfo>))]
[JsonSerializable(typeof(RegionInfo))]
[JsonSerializable(typeof(List<RegionInfo>))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(DownloadResponse))]
[JsonSerializable(typeof(List<SnapshotInfo>))]
[JsonSerializable(typeof(TakeSnapshotResponse))]
[JsonSerializable(typeof(AgentLaunchSpec))]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(AgentStopRequest))]
[JsonSerializable(typeof(AgentAttention))]
[JsonSerializable(typeof(AttentionEvent))]
[JsonSerializable(typeof(AgentUploadResult))]
[JsonSerializable(typeof(WorkspaceManifestDto))]
[JsonSerializable(typeof(DeviceAuthorization))]
[JsonSerializable(typeof(DeviceTokenRequest))]
[JsonSerializable(typeof(DeviceTokenResponse))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(LogoutResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(SetPasswordRequest))]
[JsonSerializable(typeof(CreateApiTokenRequest))]
[JsonSerializable(typeof(CreatedApiToken))]
[JsonSerializable(typeof(List<ApiTokenInfo>))]
[JsonSerializable(typeof(CreateInviteRequest))]
[JsonSerializable(typeof(InviteResponse))]
[JsonSerializable(typeof(TicketResponse))]
[JsonSerializable(typeof(List<AgentInfo>))]
[JsonSerializable(typeof(List<AuditEventInfo>))]
[JsonSerializable(typeof(List<AdminSessionInfo>))]
[JsonSerializable(typeof(UserRef))]
public sealed partial class CattyJson : JsonSerializerContext
{
}
