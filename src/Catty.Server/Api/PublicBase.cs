namespace Catty.Server.Api;

/// <summary>The server's address as people reach it: the configured public URL, else the scheme and host of the request.</summary>
internal static class PublicBase
{
    public static string Of(HttpRequest request, CattyOptions options) =>
        options.PublicUrl is { Length: > 0 } publicUrl ? publicUrl.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
}
