using Primitives.Storage;

namespace Primitives.Tests.Storage;

public sealed class AtomicFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("atomicfile-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_CreatesThenReplaces_AndLeavesNoTemporaryFile(bool durable)
    {
        var path = Path.Combine(_directory.FullName, "state.json");

        AtomicFile.Write(path, "first"u8, durable);
        Assert.Equal("first"u8.ToArray(), File.ReadAllBytes(path));
        AtomicFile.Write(path, "second, longer"u8, durable);

        Assert.Equal("second, longer"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["state.json"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task WriteAsync_CreatesThenReplaces_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_directory.FullName, "batch");

        await AtomicFile.WriteAsync(path, new byte[] { 1, 2, 3 }, durable: true, CancellationToken.None);
        await AtomicFile.WriteAsync(path, new byte[] { 4 }, durable: true, CancellationToken.None);

        Assert.Equal([4], await File.ReadAllBytesAsync(path));
        Assert.Equal(["batch"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task CancelledWrite_KeepsTheOldContent_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_directory.FullName, "batch");
        AtomicFile.Write(path, "old"u8);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => AtomicFile.WriteAsync(path, new byte[1000], durable: true, new CancellationToken(canceled: true)));

        Assert.Equal("old"u8.ToArray(), await File.ReadAllBytesAsync(path));
        Assert.Equal(["batch"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void Write_IntoAMissingDirectory_Throws_AndCreatesNothing()
    {
        var path = Path.Combine(_directory.FullName, "missing", "state.json");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(path, "x"u8));

        Assert.False(Directory.Exists(Path.Combine(_directory.FullName, "missing")));
    }

    [Fact]
    public void ConcurrentWriters_OfOneFile_EachLeaveAWholeContent()
    {
        var path = Path.Combine(_directory.FullName, "shared");
        var contents = Enumerable.Range(0, 16).Select(i => Enumerable.Repeat((byte)i, 4096).ToArray()).ToArray();

        Parallel.ForEach(contents, content => AtomicFile.Write(path, content));

        var final = File.ReadAllBytes(path);
        Assert.Contains(contents, c => c.AsSpan().SequenceEqual(final));
        Assert.Equal(["shared"], _directory.GetFiles().Select(f => f.Name));
    }
}
