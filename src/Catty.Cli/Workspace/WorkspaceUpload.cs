using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Catty.Cli.Commands;
using Catty.Cli.Output;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;

namespace Catty.Cli.Workspace;

/// <summary>
/// Packs the current folder and sends it to a new session's upload URL (<c>connect_url</c> with /upload,
/// Bearer connect token), refusing before anything is sent when the archive passes 100 MB.
/// </summary>
internal static class WorkspaceUpload
{
    /// <summary>Scans and zips <paramref name="folder"/> into a temporary file (deleted on close), or fails naming what makes it too big.</summary>
    public static (FileStream Zip, WorkspaceListing Listing) Pack(string folder, WorkspaceFilter filter, IDictionary<string, string>? hashes = null)
    {
        var listing = WorkspaceScanner.Scan(folder, filter);
        var zip = new FileStream(Path.Combine(Path.GetTempPath(), $"catty-upload-{Guid.NewGuid():N}.zip"), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Options = FileOptions.DeleteOnClose,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            if (!WorkspaceZip.Write(listing, zip, hashes: hashes))
            {
                var lines = new List<string>
                {
                    $"this folder is too large to upload: {listing.FileCount} files, {Bytes.Format(listing.TotalBytes)}, and the archive passes the {Bytes.Format(WorkspaceZip.MaxBytes)} limit.",
                };
                lines.AddRange(SizeReport.Largest(listing));
                throw new CliFailure(
                    string.Join(Environment.NewLine, lines),
                    "Add what the session does not need to .gitignore (it is honoured), leave .git out with --no-git, or start with --no-upload.");
            }

            zip.Position = 0;
            return (zip, listing);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public static async Task<AgentUploadResult> SendAsync(HttpClient plain, string connectUrl, string connectToken, Stream zip, IProgress<long> progress, CancellationToken ct)
    {
        var url = SessionUrls.UploadUrl(connectUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StreamContent(new CountingStream(zip, progress), 64 * 1024),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        request.Content.Headers.ContentLength = zip.Length;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connectToken);
        using var response = await plain.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync(CattyJson.Default.AgentUploadResult, ct)
                ?? throw new CliFailure("the session took the upload but did not say what it wrote.", "Check the files in the session (`ls`).");
        }

        ApiError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(CattyJson.Default.ApiError, ct);
        }
        catch (JsonException)
        {
        }

        throw new CliFailure(
            $"the session refused the workspace upload: {error?.Message ?? response.ReasonPhrase} ({(int)response.StatusCode} {error?.Error}).",
            "Fix what it names (a file the session cannot take) or start with --no-upload.");
    }
}
