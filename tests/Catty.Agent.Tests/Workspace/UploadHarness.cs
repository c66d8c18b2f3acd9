using Catty.Agent.Workspace;

namespace Catty.Agent.Tests.Workspace;

/// <summary>Runs uploads into a throwaway workspace and proves that refused ones leave no trace.</summary>
internal sealed class UploadHarness : IDisposable
{
    public TempWorkspace Temp { get; } = new();

    public void Dispose() => Temp.Dispose();

    public Task<UploadResult> ExtractAsync(byte[] zip, UploadLimits? limits = null) => ExtractAsync(zip, limits, zip.Length, null);

    public Task<UploadResult> ExtractAsync(byte[] zip, UploadLimits? limits, long? contentLength, Stream? body) =>
        new ZipUploadExtractor(limits ?? new UploadLimits())
            .ExtractAsync(body ?? new MemoryStream(zip), contentLength, Temp.Workspace, Temp.Marker, CancellationToken.None);

    /// <summary>Seeds the workspace, runs a hostile upload and proves the workspace and its surroundings are unchanged.</summary>
    public async Task<UploadResult.Refused> AssertRefusedWithoutTrace(
        byte[] zip, int status, string error, UploadLimits? limits = null, long? contentLength = -1, Stream? body = null)
    {
        if (!File.Exists(Temp.InWorkspace("seed/seed.txt")))
        {
            Temp.Write("seed/seed.txt", "seed");
        }

        var before = TreeListing.Describe(Temp.Workspace);
        var rootBefore = Temp.RootNames();
        var markerBefore = File.Exists(Temp.Marker) ? File.ReadAllText(Temp.Marker) : null;

        var result = await ExtractAsync(zip, limits, contentLength == -1 ? zip.Length : contentLength, body);

        var refused = AssertRefused(result, status, error);
        Assert.Equal(before, TreeListing.Describe(Temp.Workspace));
        Assert.Equal(rootBefore, Temp.RootNames());
        Assert.Equal(markerBefore, File.Exists(Temp.Marker) ? File.ReadAllText(Temp.Marker) : null);
        return refused;
    }

    public static UploadResult.Refused AssertRefused(UploadResult result, int status, string error)
    {
        var refused = Assert.IsType<UploadResult.Refused>(result);
        Assert.True(refused.StatusCode == status && refused.Error == error, $"expected {status} {error}, got {refused}");
        return refused;
    }
}
