using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Catty.Sdk.AgentControl;

namespace Catty.Sdk.Tests.AgentControl;

/// <summary>The change between two manifests, as the agent computes it and the control plane applies it.</summary>
public sealed class ManifestDeltaTests
{
    private static readonly ManifestEntryDto[] Before =
    [
        File("a/edit.txt", "1", 0x1A4),
        Dir("a"),
        File("a/keep.txt", "2", 0x1A4),
        File("a/old-name.txt", "3", 0x1A4),
        File("b", "4", 0x1A4),
        File("run.sh", "5", 0x1A4),
        Link("to-a", "a"),
    ];

    [Fact]
    public void A_rewrite_a_rename_a_delete_a_chmod_a_file_turned_folder_and_a_link_retargeted_all_show()
    {
        var before = Sorted(Before);
        var after = Sorted(
        [
            File("a/edit.txt", "1 changed", 0x1A4),
            Dir("a"),
            File("a/keep.txt", "2", 0x1A4),
            File("a/new-name.txt", "3", 0x1A4),
            Dir("b"),
            File("b/inside.txt", "6", 0x1A4),
            File("run.sh", "5", 0x1ED),
            Link("to-a", "a/keep.txt"),
        ]);

        var (changed, removed) = ManifestDelta.Between(before, after);

        Assert.Equal(["a/edit.txt", "a/new-name.txt", "b", "b/inside.txt", "run.sh", "to-a"], changed.Select(e => e.Path));
        Assert.Equal(["a/old-name.txt"], removed);
        Assert.Equal(after, ManifestDelta.Apply(before, changed, removed));
    }

    [Fact]
    public void Equal_manifests_differ_by_nothing_and_a_change_from_nothing_is_everything()
    {
        var before = Sorted(Before);

        var same = ManifestDelta.Between(before, before);
        var fromNothing = ManifestDelta.Between([], before);
        var toNothing = ManifestDelta.Between(before, []);

        Assert.Empty(same.Changed);
        Assert.Empty(same.Removed);
        Assert.Equal(before, fromNothing.Changed);
        Assert.Equal(before, ManifestDelta.Apply([], fromNothing.Changed, fromNothing.Removed));
        Assert.Empty(ManifestDelta.Apply(before, toNothing.Changed, toNothing.Removed)!);
    }

    [Fact]
    public void A_change_that_does_not_fit_its_base_is_refused()
    {
        var before = Sorted(Before);

        Assert.Null(ManifestDelta.Apply(before, [], ["not-there"]));
        Assert.Null(ManifestDelta.Apply(before, [], ["run.sh", "b"]));
        Assert.Null(ManifestDelta.Apply(before, [File("z", "1", 0x1A4), File("c", "1", 0x1A4)], []));
        Assert.Null(ManifestDelta.Apply(before, [File("c", "1", 0x1A4), File("c", "2", 0x1A4)], []));
        Assert.Null(ManifestDelta.Apply(before, [File("b", "new", 0x1A4)], ["b"]));
        Assert.Null(ManifestDelta.Apply(before, [], ["zz-after-everything"]));
    }

    [Fact]
    public void Random_workspaces_round_trip_through_their_change()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var before = RandomManifest(random);
            var after = RandomManifest(random);

            var (changed, removed) = ManifestDelta.Between(before, after);

            Assert.Equal(after, ManifestDelta.Apply(before, changed, removed));
            Assert.Equal(ManifestDigest.Compute(after), ManifestDigest.Compute(ManifestDelta.Apply(before, changed, removed)!));
        }
    }

    [Fact]
    public void The_digest_is_sha256_over_six_nul_terminated_fields_per_entry()
    {
        var entries = Sorted([.. Before, File("é/ünïcode.txt", "x", 0x1FF), File("big", "y", 0x1A4) with { Size = 12_345_678_901 }]);
        var text = new StringBuilder();
        foreach (var e in entries)
        {
            text.Append(e.Kind).Append('\0').Append(e.Path).Append('\0').Append(Convert.ToString(e.Mode, 8)).Append('\0')
                .Append(e.Size.ToString(CultureInfo.InvariantCulture)).Append('\0').Append(e.Sha256).Append('\0').Append(e.LinkTarget).Append('\0');
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), ManifestDigest.Compute(entries));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ManifestDigest.Compute([]));
    }

    [Fact]
    public void The_digest_covers_paths_longer_than_its_buffer()
    {
        var longPath = string.Join('/', Enumerable.Repeat("ü" + new string('x', 200), 400));
        var entries = new[] { File("a", "1", 0x1A4), Link(longPath, longPath) };
        var text = $"file\0a\0644\01\0{Sha("1")}\0\0symlink\0{longPath}\0777\0{Encoding.UTF8.GetByteCount(longPath)}\0\0{longPath}\0";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), ManifestDigest.Compute(entries));
    }

    private static List<ManifestEntryDto> RandomManifest(Random random)
    {
        var entries = new Dictionary<string, ManifestEntryDto>(StringComparer.Ordinal);
        for (var i = random.Next(30); i > 0; i--)
        {
            var path = $"{(char)('a' + random.Next(4))}/{random.Next(6)}";
            entries[path] = random.Next(3) switch
            {
                0 => File(path, random.Next(3).ToString(CultureInfo.InvariantCulture), random.Next(2) == 0 ? 0x1A4 : 0x1ED),
                1 => Dir(path),
                _ => Link(path, random.Next(3).ToString(CultureInfo.InvariantCulture)),
            };
        }

        return Sorted(entries.Values);
    }

    private static List<ManifestEntryDto> Sorted(IEnumerable<ManifestEntryDto> entries) => [.. entries.OrderBy(e => e.Path, StringComparer.Ordinal)];

    private static ManifestEntryDto File(string path, string content, int mode) =>
        new(path, ManifestKinds.File, mode, Encoding.UTF8.GetByteCount(content), Sha(content));

    private static ManifestEntryDto Dir(string path) => new(path, ManifestKinds.Directory, 0x1ED, 0);

    private static ManifestEntryDto Link(string path, string target) => new(path, ManifestKinds.Symlink, 0x1FF, Encoding.UTF8.GetByteCount(target), null, target);

    private static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
