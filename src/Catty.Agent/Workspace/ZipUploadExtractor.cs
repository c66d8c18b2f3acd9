using System.Buffers;
using System.IO.Compression;
using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Workspace;

/// <summary>
/// Receives a session's one workspace upload: a zip that is spooled, checked, extracted to a staging folder
/// and only then renamed into the workspace, so a refused upload leaves the workspace exactly as it was.
/// </summary>
internal sealed class ZipUploadExtractor
{
    private const int CopyBufferSize = 81920;

    private readonly UploadLimits _limits;
    private readonly string? _stagingParent;

    /// <param name="limits">Size and count bounds.</param>
    /// <param name="stagingParent">
    /// Where staging folders go; it must be on the workspace's filesystem so that moving in is a rename.
    /// Defaults to the workspace's parent folder.
    /// </param>
    public ZipUploadExtractor(UploadLimits limits, string? stagingParent = null)
    {
        _limits = limits;
        _stagingParent = stagingParent;
    }

    /// <summary>Extracts the zip read from <paramref name="zip"/> into <paramref name="workspaceDir"/>.</summary>
    /// <param name="contentLength">The request's Content-Length when it has one; checked before reading, the read itself is bounded too.</param>
    /// <param name="markerPath">A file outside the workspace that records that the workspace received its upload.</param>
    public async Task<UploadResult> ExtractAsync(Stream zip, long? contentLength, string workspaceDir, string markerPath, CancellationToken ct)
    {
        var workspace = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspaceDir));
        var marker = Path.GetFullPath(markerPath);
        if (marker.StartsWith(workspace + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException("The upload marker must live outside the workspace.", nameof(markerPath));
        }

        var claim = UploadMarker.TryClaim(marker);
        if (claim is null)
        {
            return new UploadResult.Refused(409, UploadErrors.AlreadyUploaded, "This workspace has already received its upload.");
        }

        if (contentLength > _limits.MaxCompressedBytes)
        {
            claim.Release();
            return TooLarge();
        }

        var staging = Path.Join(
            _stagingParent ?? Path.GetDirectoryName(workspace)!,
            $".{Path.GetFileName(workspace)}.upload-{Guid.NewGuid():N}");
        UploadResult result;
        try
        {
            result = TryCreateStaging(staging) ?? await ExtractClaimedAsync(zip, workspace, staging, ct);
        }
        catch
        {
            claim.Release();
            throw;
        }
        finally
        {
            DeleteQuietly(staging);
        }

        if (result is UploadResult.Ok ok)
        {
            claim.Complete(ok);
        }
        else
        {
            claim.Release();
        }

        return result;
    }

    private async Task<UploadResult> ExtractClaimedAsync(Stream body, string workspace, string staging, CancellationToken ct)
    {
        await using var spooled = new FileStream(
            Path.Join(staging, "upload.zip"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        var spool = await BoundedSpool.CopyAsync(body, spooled, _limits.MaxCompressedBytes, ct);
        if (spool.TooLarge)
        {
            return TooLarge();
        }

        if (spool.WriteError is not null)
        {
            return new UploadResult.Refused(500, UploadErrors.WriteFailed, $"The upload could not be stored: {spool.WriteError}");
        }

        if (ZipDirectoryEnd.ReadDeclaredEntryCount(spooled) is { } declared && declared > _limits.MaxEntries)
        {
            return new UploadResult.Refused(
                413, UploadErrors.TooManyEntries, $"The archive declares {declared} entries; the limit is {_limits.MaxEntries}.");
        }

        spooled.Position = 0;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(spooled, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            return new UploadResult.Refused(400, UploadErrors.InvalidZip, $"The upload is not a readable zip archive: {e.Message}");
        }

        using (archive)
        {
            var refusal = UploadPlan.TryCreate(archive, _limits, out var plan)
                ?? UploadTargetCheck.Check(plan!, workspace);
            if (refusal is not null)
            {
                return refusal;
            }

            var tree = Path.Join(staging, "tree");
            var extracted = await ExtractToStagingAsync(plan!, tree, ct);
            if (extracted is not UploadResult.Ok)
            {
                return extracted;
            }

            var mover = new StagingMover(Directory.CreateDirectory(Path.Join(staging, "replaced")).FullName);
            try
            {
                mover.MoveInto(tree, workspace);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                mover.Rollback();
                return new UploadResult.Refused(500, UploadErrors.WriteFailed, $"The workspace could not be written: {e.Message}");
            }

            return extracted;
        }
    }

    private async Task<UploadResult> ExtractToStagingAsync(UploadPlan plan, string tree, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(tree);
            foreach (var (path, directory) in plan.Directories)
            {
                var created = Path.Join(tree, path);
                Directory.CreateDirectory(created);
                FsNative.Chmod(created, directory.Permissions);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new UploadResult.Refused(500, UploadErrors.WriteFailed, $"The staging folder could not be written: {e.Message}");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long written = 0;
        try
        {
            foreach (var file in plan.Files)
            {
                ct.ThrowIfCancellationRequested();
                var target = Path.Join(tree, file.Path);
                try
                {
                    var crc = new ZipCrc32();
                    long length = 0;
                    await using (var source = await file.Source.OpenAsync(ct))
                    await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                    {
                        int read;
                        while ((read = await source.ReadAsync(buffer, ct)) > 0)
                        {
                            written += read;
                            length += read;
                            if (written > _limits.MaxExpandedBytes)
                            {
                                return new UploadResult.Refused(
                                    413,
                                    UploadErrors.ExpandedTooLarge,
                                    $"Entry '{file.Source.FullName}' takes the archive past the expanded limit of {_limits.MaxExpandedBytes} bytes.");
                            }

                            crc.Append(buffer.AsSpan(0, read));
                            await output.WriteAsync(buffer.AsMemory(0, read), ct);
                        }
                    }

                    if (length != file.Source.Length || crc.Value != file.Source.Crc32)
                    {
                        return new UploadResult.Refused(
                            400,
                            UploadErrors.InvalidZip,
                            $"Entry '{file.Source.FullName}' is damaged: its data does not match the size and checksum the archive declares.");
                    }

                    FsNative.Chmod(target, file.Permissions);
                }
                catch (InvalidDataException e)
                {
                    return new UploadResult.Refused(
                        400, UploadErrors.InvalidZip, $"Entry '{file.Source.FullName}' could not be read: {e.Message}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return new UploadResult.Refused(
                        500, UploadErrors.WriteFailed, $"Entry '{file.Source.FullName}' could not be written: {e.Message}");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new UploadResult.Ok(plan.Files.Count, plan.Directories.Count, written);
    }

    private static UploadResult.Refused? TryCreateStaging(string staging)
    {
        try
        {
            Directory.CreateDirectory(staging);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new UploadResult.Refused(500, UploadErrors.WriteFailed, $"The staging folder could not be created: {e.Message}");
        }
    }

    private UploadResult.Refused TooLarge() =>
        new(413, UploadErrors.UploadTooLarge, $"The upload is larger than the limit of {_limits.MaxCompressedBytes} bytes.");

    private static void DeleteQuietly(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftover staging lies outside the workspace and is named for it; it never reaches a snapshot.
        }
    }
}
