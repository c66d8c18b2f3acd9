using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Catty.Sdk.Api;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Catty.Server.Api;

/// <summary>
/// The one error writer: every failure the API reports is <c>{"error", "message"}</c> with its status.
/// Validators return it as a value; handlers put it in their <c>Results&lt;...&gt;</c> union.
/// </summary>
internal sealed class ErrorResult(int statusCode, string error, string message)
    : IResult, IStatusCodeHttpResult, IValueHttpResult<ApiError>, IEndpointMetadataProvider
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public ApiError Value { get; } = new(error, message);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return httpContext.Response.WriteAsJsonAsync(Value, (JsonTypeInfo<ApiError>)json.GetTypeInfo(typeof(ApiError)), contentType: null, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in new[] { 400, 401, 404, 409 })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ApiError), ["application/json"]));
        }
    }

    public override string ToString() => $"{StatusCode} {Value.Error}: {Value.Message}";
}

/// <summary>The API's error codes, each with the status it is sent with.</summary>
internal static class Errors
{
    public static ErrorResult BadRequest(string error, string message) => new(StatusCodes.Status400BadRequest, error, message);

    public static ErrorResult Unauthorized(string message = "A valid Bearer token is required.") =>
        new(StatusCodes.Status401Unauthorized, "unauthorized", message);

    /// <summary>402: a per-user limit (running sessions) is reached.</summary>
    public static ErrorResult QuotaExceeded(string message) => new(StatusCodes.Status402PaymentRequired, "quota_exceeded", message);

    public static ErrorResult Forbidden(string error, string message) => new(StatusCodes.Status403Forbidden, error, message);

    /// <summary>Also what a caller gets for someone else's session, so ids and labels leak nothing.</summary>
    public static ErrorResult SessionNotFound(string idOrLabel) =>
        new(StatusCodes.Status404NotFound, "not_found", $"No session '{idOrLabel}'.");

    public static ErrorResult Conflict(string error, string message) => new(StatusCodes.Status409Conflict, error, message);

    public static ErrorResult TooMany(string error, string message) => new(StatusCodes.Status429TooManyRequests, error, message);

    /// <summary>Sets <c>Retry-After</c> to <paramref name="after"/> in whole seconds, rounded up and at least one.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan after) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static ErrorResult Unavailable(string error, string message) => new(StatusCodes.Status503ServiceUnavailable, error, message);

    public static ErrorResult BadGateway(string error, string message) => new(StatusCodes.Status502BadGateway, error, message);
}
