using System.Diagnostics;
using Primitives.Storage;

namespace DaClient.Local;

/// <summary>
/// The embedded DA layer: each batch is a file named by its keccak256, written durably
/// (temp file, fsync, rename, fsync of the directory) before its commitment is returned.
/// Reads check the hash, so a tampered file is reported, never served. Failures are <see cref="DaResult{T}"/>
/// values, as from the remote clients; the throwing methods turn them into the matching exceptions.
/// </summary>
public sealed class LocalDaStore : IDaClient
{
    private readonly string _directory;
    private readonly bool _fsync;
    private readonly DaStatsCollector _stats = new(DaCommitmentKind.Local);

    public LocalDaStore(string directory, bool fsync = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _fsync = fsync;
        Directory.CreateDirectory(_directory);
    }

    public DaCommitmentKind Kind => DaCommitmentKind.Local;

    public DaStats Stats => _stats.Snapshot();

    /// <summary>Where the batch with this hash is (or would be) stored.</summary>
    public string PathFor(ReadOnlySpan<byte> hash) => System.IO.Path.Combine(_directory, Convert.ToHexStringLower(hash) + ".batch");

    public ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken) =>
        PutAsync(batch, batch.IsEmpty ? default : DaCommitment.Keccak256(batch.Span), cancellationToken);

    /// <summary>Stores a batch under the keccak256 the caller computed, without hashing it again.</summary>
    public async ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, ReadOnlyMemory<byte> keccak256, CancellationToken cancellationToken) =>
        (await TryPutAsync(batch, keccak256, cancellationToken).ConfigureAwait(false)).Value;

    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken) =>
        (await TryGetAsync(commitment, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Stores a batch under the keccak256 the caller computed; a failure is a value: an empty batch is
    /// <see cref="DaError.Rejected"/>, a write that fails is <see cref="DaError.Unavailable"/> (fail over).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="keccak256"/> is not 32 bytes (a caller's bug, not a DA failure).</exception>
    public async ValueTask<DaResult<DaCommitment>> TryPutAsync(ReadOnlyMemory<byte> batch, ReadOnlyMemory<byte> keccak256, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            return DaFailure.Rejected("an empty batch cannot be stored");
        }

        if (keccak256.Length != DaCommitment.HashLength)
        {
            throw new ArgumentException($"a batch hash is {DaCommitment.HashLength} bytes, got {keccak256.Length}", nameof(keccak256));
        }

        var started = Stopwatch.GetTimestamp();
        var hash = keccak256.ToArray();
        var path = PathFor(hash);
        try
        {
            // Content-addressed: an intact existing file already holds these exact bytes.
            if (!await HoldsAsync(path, hash, cancellationToken).ConfigureAwait(false))
            {
                await WriteDurablyAsync(path, batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException e)
        {
            _stats.PutFailed(failover: true);
            return DaFailure.Unavailable(DaUnavailableReason.FailoverRequested, $"local DA store cannot write {path}: {e.Message}", e);
        }

        _stats.PutSucceeded(batch.Length, Stopwatch.GetElapsedTime(started));
        return DaResult<DaCommitment>.Ok(new DaCommitment(DaCommitmentKind.Local, hash));
    }

    /// <summary>Reads a batch back; a failure is a value: not found, a tampered file, or a commitment of another kind.</summary>
    public async ValueTask<DaResult<ReadOnlyMemory<byte>>> TryGetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.Kind != DaCommitmentKind.Local)
        {
            return DaFailure.Rejected($"the local DA store cannot read a {commitment.Kind} commitment");
        }

        var path = PathFor(commitment.Body.Span);
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            return DaFailure.NotFound($"no batch with hash 0x{Convert.ToHexStringLower(commitment.Body.Span)} in the local DA store", e);
        }

        if (!DaCommitment.Keccak256(data).AsSpan().SequenceEqual(commitment.Body.Span))
        {
            return DaFailure.CertificateInvalid($"local DA file {path} does not match its hash (tampered or corrupt)");
        }

        _stats.GetSucceeded(data.Length);
        return DaResult<ReadOnlyMemory<byte>>.Ok(data);
    }

    public ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Directory.Exists(_directory)
            ? DaHealth.Healthy(_directory)
            : DaHealth.Unhealthy($"directory {_directory} is missing"));

    private static async Task<bool> HoldsAsync(string path, byte[] hash, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var existing = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return DaCommitment.Keccak256(existing).AsSpan().SequenceEqual(hash);
    }

    private Task WriteDurablyAsync(string path, ReadOnlyMemory<byte> batch, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, batch, _fsync, cancellationToken);
}
