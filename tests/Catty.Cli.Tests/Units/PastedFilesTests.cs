using Catty.Cli.Connect;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Terminal;

namespace Catty.Cli.Tests.Units;

/// <summary>Which pastes are files to upload, and how they go.</summary>
public sealed class PastedFilesTests : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public void Dragged_paths_are_recognised_escaped_quoted_or_as_file_urls()
    {
        var spaced = _home.Write("My Shot.png", "png");
        var pdf = _home.Write("doc.pdf", "pdf");
        var text = _home.Write("notes.md", "md");

        Assert.Equal([spaced], Paths(spaced.Replace(" ", "\\ ", StringComparison.Ordinal)));
        Assert.Equal([spaced, pdf], Paths($"'{spaced}' {pdf}"));
        Assert.Equal([text], Paths("file://" + text));
        var inHome = Path.Combine(_home.Home, "pic.jpg");
        File.WriteAllText(inHome, "jpg");
        Assert.Equal([inHome], Paths("~/pic.jpg"));
    }

    [Fact]
    public void Anything_else_is_an_ordinary_paste()
    {
        var big = _home.Write("big.png", "");
        File.WriteAllBytes(big, new byte[PastedFiles.MaxBytes + 1]);
        var binary = _home.Write("tool.exe", "x");
        var image = _home.Write("a.png", "png");
        Assert.Equal(0, SpecialFiles.MkFifo(Path.Combine(_home.Project, "pipe.txt"), 0x1A4));

        Assert.Null(PastedFiles.Recognise("echo hello", _home.Home));
        Assert.Null(PastedFiles.Recognise(big, _home.Home));
        Assert.Null(PastedFiles.Recognise(binary, _home.Home));
        Assert.Null(PastedFiles.Recognise(Path.Combine(_home.Project, "pipe.txt"), _home.Home));
        Assert.Null(PastedFiles.Recognise(Path.Combine(_home.Project, "missing.png"), _home.Home));
        Assert.Null(PastedFiles.Recognise($"{image} and more words", _home.Home));
        Assert.Null(PastedFiles.Recognise("relative/a.png", _home.Home));
    }

    [Fact]
    public void Remote_names_are_safe_and_unique_and_big_files_go_in_ordered_chunks()
    {
        var name = PastedFiles.RemoteName("..My Résumé (final).PDF");
        Assert.Matches(@"^My-R-sum---final--[0-9a-f]{6}\.pdf$", name);
        Assert.NotEqual(name, PastedFiles.RemoteName("..My Résumé (final).PDF"));

        var path = _home.Write("scan.png", "");
        var content = new byte[(FileUploads.ChunkBytes * 2) + 10];
        new Random(3).NextBytes(content);
        File.WriteAllBytes(path, content);
        var file = PastedFiles.Recognise(path, _home.Home)!.Single();

        var chunks = FileUploads.Messages(file, "/workspace").Cast<FileUploadChunkMessage>().ToList();

        Assert.Equal([0, 1, 2], chunks.Select(c => c.ChunkIndex));
        Assert.All(chunks, c => Assert.Equal((3, $"/workspace/.catty-uploads/{file.RemoteName}", "image/png"), (c.TotalChunks, c.RemotePath, c.MimeType)));
        Assert.Single(chunks.Select(c => c.UploadId).Distinct());
        Assert.Equal(content, chunks.SelectMany(c => Convert.FromBase64String(c.Content)).ToArray());
        Assert.All(chunks, c => Assert.True(Catty.Sdk.Terminal.ControlMessageParser.ToUtf8(c).Length < 1024 * 1024));
    }

    public void Dispose() => _home.Dispose();

    private List<string>? Paths(string paste) => PastedFiles.Recognise(paste, _home.Home)?.Select(f => f.LocalPath).ToList();
}
