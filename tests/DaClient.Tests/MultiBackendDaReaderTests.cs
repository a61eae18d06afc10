using DaClient.Local;

namespace DaClient.Tests;

public sealed class MultiBackendDaReaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "da-reader-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Reads_through_the_client_of_the_commitment_kind()
    {
        var local = new LocalDaStore(_directory);
        var commitment = await local.PutAsync(new byte[] { 4, 5 }, CancellationToken.None);
        var reader = new MultiBackendDaReader([local]);

        Assert.Equal(new byte[] { 4, 5 }, (await reader.GetAsync(commitment, CancellationToken.None)).ToArray());
        await Assert.ThrowsAsync<DaRejectedException>(async () =>
            await reader.GetAsync(new DaCommitment(DaCommitmentKind.EigenDaProxy, [0, 2, 1]), CancellationToken.None));
        await Assert.ThrowsAsync<DaRejectedException>(async () =>
            await reader.GetAsync(DaCommitment.ForCalldata([1]), CancellationToken.None));
    }

    [Fact]
    public void Calldata_is_checked_against_its_commitment()
    {
        var commitment = DaCommitment.ForCalldata([1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, MultiBackendDaReader.CheckCalldata(commitment, new byte[] { 1, 2, 3 }).ToArray());
        Assert.Throws<DaCertificateInvalidException>(() => MultiBackendDaReader.CheckCalldata(commitment, new byte[] { 1, 2, 4 }));
    }
}
