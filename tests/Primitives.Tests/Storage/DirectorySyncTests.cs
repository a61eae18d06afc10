using Primitives.Storage;

namespace Primitives.Tests.Storage;

public sealed class DirectorySyncTests
{
    [Fact]
    public void Flush_OfAnExistingDirectory_Succeeds()
    {
        var directory = Directory.CreateTempSubdirectory("dirsync-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "file"), "x");

            DirectorySync.Flush(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Flush_OfAMissingDirectory_SaysWhichAndWhy() // Linux: the only platform where it does anything
    {
        var missing = Path.Combine(Path.GetTempPath(), "dirsync-missing-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("errno 2", error.Message, StringComparison.Ordinal);
    }
}
