using DaClient.Local;

namespace DaClient.Tests.Local;

public sealed class LocalDaStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "da-local-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Put_then_get_returns_the_batch_and_the_commitment_is_its_keccak()
    {
        var store = new LocalDaStore(_directory);
        var batch = "a compressed batch"u8.ToArray();

        var commitment = await store.PutAsync(batch, CancellationToken.None);
        var read = await store.GetAsync(DaCommitment.Parse(commitment.ToBytes()), CancellationToken.None);

        Assert.Equal(DaCommitmentKind.Local, commitment.Kind);
        Assert.Equal(DaCommitment.Keccak256(batch), commitment.Body.ToArray());
        Assert.Equal(batch, read.ToArray());
        Assert.Equal(1, store.Stats.Puts);
        Assert.Equal(batch.Length, store.Stats.BytesPut);
    }

    [Fact]
    public async Task A_batch_put_with_its_hash_is_stored_under_that_hash_and_reads_back()
    {
        IDaClient store = new LocalDaStore(_directory);
        var batch = new byte[50_000];
        new Random(5).NextBytes(batch);
        var hash = DaCommitment.Keccak256(batch);

        var commitment = await store.PutAsync(batch, hash, CancellationToken.None);
        var read = await new LocalDaStore(_directory).GetAsync(commitment, CancellationToken.None);

        Assert.Equal(new DaCommitment(DaCommitmentKind.Local, hash), commitment);
        Assert.Equal(batch, read.ToArray());
        Assert.True(File.Exists(Path.Combine(_directory, Convert.ToHexStringLower(hash) + ".batch")));
    }

    [Fact]
    public async Task A_batch_hash_that_is_not_32_bytes_is_refused_and_nothing_is_stored()
    {
        var store = new LocalDaStore(_directory);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(new byte[] { 1, 2, 3 }, new byte[31], CancellationToken.None).AsTask());

        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Survives_a_new_instance_and_leaves_no_temporary_files()
    {
        var batch = new byte[70_000];
        new Random(3).NextBytes(batch);
        var commitment = await new LocalDaStore(_directory).PutAsync(batch, CancellationToken.None);

        var read = await new LocalDaStore(_directory).GetAsync(commitment, CancellationToken.None);

        Assert.Equal(batch, read.ToArray());
        Assert.Single(Directory.GetFiles(_directory));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public async Task Putting_the_same_batch_twice_gives_the_same_commitment_and_one_file()
    {
        var store = new LocalDaStore(_directory);

        var first = await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        var second = await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task A_tampered_file_is_reported_not_served()
    {
        var store = new LocalDaStore(_directory);
        var commitment = await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        await File.WriteAllBytesAsync(store.PathFor(commitment.Body.Span), [1, 2, 4]);

        await Assert.ThrowsAsync<DaCertificateInvalidException>(async () => await store.GetAsync(commitment, CancellationToken.None));
    }

    [Fact]
    public async Task Putting_a_batch_again_repairs_a_damaged_file()
    {
        var store = new LocalDaStore(_directory);
        var commitment = await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        await File.WriteAllBytesAsync(store.PathFor(commitment.Body.Span), [9]);

        await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.Equal(new byte[] { 1, 2, 3 }, (await store.GetAsync(commitment, CancellationToken.None)).ToArray());
    }

    [Fact]
    public async Task Unknown_hash_is_not_found_and_other_kinds_are_rejected()
    {
        var store = new LocalDaStore(_directory);

        await Assert.ThrowsAsync<DaNotFoundException>(async () => await store.GetAsync(new DaCommitment(DaCommitmentKind.Local, new byte[32]), CancellationToken.None));
        await Assert.ThrowsAsync<DaRejectedException>(async () => await store.GetAsync(DaCommitment.ForCalldata([1]), CancellationToken.None));
        await Assert.ThrowsAsync<DaRejectedException>(async () => await store.PutAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None));
    }

    [Fact]
    public async Task Failures_are_values_through_the_Try_methods()
    {
        var store = new LocalDaStore(_directory);
        var batch = new byte[] { 1, 2, 3 };
        var hash = DaCommitment.Keccak256(batch);
        Directory.CreateDirectory(store.PathFor(hash)); // the batch's file name is taken by a directory: the write fails

        var unwritable = await store.TryPutAsync(batch, hash, CancellationToken.None);
        var empty = await store.TryPutAsync(ReadOnlyMemory<byte>.Empty, hash, CancellationToken.None);
        var missing = await store.TryGetAsync(new DaCommitment(DaCommitmentKind.Local, new byte[32]), CancellationToken.None);
        var otherKind = await store.TryGetAsync(DaCommitment.ForCalldata([1]), CancellationToken.None);

        Assert.Equal(DaError.Unavailable, unwritable.Failure?.Error);
        Assert.Equal(DaUnavailableReason.FailoverRequested, unwritable.Failure?.Reason);
        Assert.Equal(1, store.Stats.PutFailures);
        Assert.Equal(DaError.Rejected, empty.Failure?.Error);
        Assert.Equal(DaError.NotFound, missing.Failure?.Error);
        Assert.Equal(DaError.Rejected, otherKind.Failure?.Error);

        Directory.Delete(store.PathFor(hash));
        var stored = await store.TryPutAsync(batch, hash, CancellationToken.None);
        await File.WriteAllBytesAsync(store.PathFor(hash), [1, 2, 4]);
        var tampered = await store.TryGetAsync(stored.Value, CancellationToken.None);

        Assert.True(stored.Succeeded);
        Assert.Equal(DaError.CertificateInvalid, tampered.Failure?.Error);
    }

    [Fact]
    public async Task Health_follows_the_directory()
    {
        var store = new LocalDaStore(_directory);
        Assert.True((await store.CheckHealthAsync(CancellationToken.None)).IsHealthy);

        Directory.Delete(_directory, recursive: true);

        Assert.False((await store.CheckHealthAsync(CancellationToken.None)).IsHealthy);
    }
}
