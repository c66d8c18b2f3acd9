using System.Net;
using Catty.Cli.Commands;
using Catty.Cli.Output;
using Catty.Sdk.Api;

namespace Catty.Cli.Downloads;

/// <summary>Fetches a session's newest snapshot (<c>.tar.gz</c>) into a temporary file, with a progress bar.</summary>
internal static class SnapshotDownload
{
    /// <summary>The snapshot as a temporary file, deleted when closed.</summary>
    public static async Task<FileStream> FetchAsync(CliContext context, ServerConnection server, string label, CancellationToken ct)
    {
        DownloadResponse link;
        try
        {
            link = await server.Api.GetDownloadAsync(label, ct: ct);
        }
        catch (CattyApiException e) when (e.Status == HttpStatusCode.NotFound && e.Error == "no_snapshot")
        {
            throw new CliFailure(
                $"{label} has no snapshot yet.",
                "The first is taken about 10 seconds after a session starts; try again in a moment.");
        }

        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"catty-{Guid.NewGuid():N}.tar.gz"), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            using var response = await server.Plain.GetAsync(new Uri(server.Server, link.DownloadUrl), HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliFailure(
                    $"the snapshot link answered {(int)response.StatusCode} {response.ReasonPhrase}.",
                    "Links expire after a few minutes; run the command again.");
            }

            var total = response.Content.Headers.ContentLength ?? link.SizeBytes;
            await TransferProgress.RunAsync(context.Err, context.Interactive, $"Downloading {label}", total, async progress =>
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await body.CopyToAsync(new CountingStream(file, progress), ct);
                return true;
            });
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
