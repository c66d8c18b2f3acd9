using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Catty.Sdk;
using Microsoft.AspNetCore.Diagnostics;

namespace Catty.Server.Api;

/// <summary>Gives every response of the server the API's JSON style and error shape.</summary>
internal static class ApiShapeExtensions
{
    /// <summary>snake_case JSON through Catty.Sdk's source-generated contracts.</summary>
    public static IServiceCollection AddApiShape(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

            // Served as application/json, never inlined into HTML: no need to escape quotes and apostrophes.
            options.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CattyJson.Default);
        });
        return services;
    }

    /// <summary>
    /// Failures that happen outside a handler (no route, a body that does not bind, a body too large,
    /// a bug) still answer with <c>{"error", "message"}</c>.
    /// </summary>
    public static WebApplication UseApiShape(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
                return ForStatus(status).ExecuteAsync(context);
            },
        });
        app.UseStatusCodePages(context => ForStatus(context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        return app;
    }

    private static ErrorResult ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Errors.BadRequest("invalid_request", "The request could not be read."),
        StatusCodes.Status401Unauthorized => Errors.Unauthorized(),
        StatusCodes.Status403Forbidden => Errors.Forbidden("forbidden", "Not allowed."),
        StatusCodes.Status404NotFound => new ErrorResult(status, "not_found", "No such resource."),
        StatusCodes.Status405MethodNotAllowed => new ErrorResult(status, "method_not_allowed", "Method not allowed."),
        StatusCodes.Status413PayloadTooLarge => new ErrorResult(status, "payload_too_large", "The request body is too large."),
        StatusCodes.Status429TooManyRequests => Errors.TooMany("rate_limited", "Too many requests; try again later."),
        >= 500 => new ErrorResult(status, "internal", "The server failed to handle the request."),
        _ => new ErrorResult(status, "http_" + status, "The request failed."),
    };
}
