namespace Catty.Agent.Workspace;

/// <summary>Bounds on one workspace upload.</summary>
/// <param name="MaxCompressedBytes">Largest accepted request body (the zip itself), in bytes. Default 100 MiB.</param>
/// <param name="MaxExpandedBytes">Largest total of bytes actually written while extracting. Default 1 GiB.</param>
/// <param name="MaxEntries">Most entries the archive may hold, folders included. Default 100,000.</param>
internal sealed record UploadLimits(
    long MaxCompressedBytes = 100L * 1024 * 1024,
    long MaxExpandedBytes = 1024L * 1024 * 1024,
    int MaxEntries = 100_000);
