using System.Buffers;
using System.IO.Compression;
using Primitives.Chain;
using ZstdSharp;

namespace Batcher.Format;

/// <summary>
/// Turns consecutive sealed blocks into batch bytes (docs/batch-format.md). Not thread-safe:
/// it keeps its buffers and compressor between batches; use one per pipeline.
/// </summary>
public sealed class BatchEncoder : IDisposable
{
    private readonly BatchCodecOptions _options;
    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);
    private readonly ColumnarBody _columnar = new();
    private readonly Compressor? _zstd;
    private byte[] _output = [];
    private int _prefix = BatchFormat.HeaderLength;

    public BatchEncoder(BatchCodecOptions? options = null)
    {
        _options = options ?? BatchCodecOptions.Default;
        if (_options.Compression == BodyCompression.Zstd)
        {
            _zstd = new Compressor(_options.Level);
        }
    }

    public BatchCodecOptions Options => _options;

    /// <summary>
    /// Encodes <paramref name="blocks"/> (consecutive, non-empty) as batch <paramref name="batchIndex"/>.
    /// <paramref name="parentAccumulator"/> is the accumulator before the first block's first transaction.
    /// </summary>
    public byte[] Encode(ulong chainId, ulong batchIndex, IReadOnlyList<SealedBlock> blocks, ReadOnlySpan<byte> parentAccumulator) =>
        Encode(chainId, batchIndex, blocks, parentAccumulator, null);

    /// <summary>
    /// As above; a batch that consumes forced-queue entries (<paramref name="forced"/> with entries) is written as
    /// version 2 with its forced-entry section, any other as version 1.
    /// </summary>
    public byte[] Encode(ulong chainId, ulong batchIndex, IReadOnlyList<SealedBlock> blocks, ReadOnlySpan<byte> parentAccumulator, ForcedSection? forced)
    {
        var section = forced is { Entries.Count: > 0 } ? forced : null;
        _prefix = BatchFormat.HeaderLength + (section?.Length ?? 0);
        if (blocks.Count == 0)
        {
            throw new ArgumentException("a batch holds at least one block", nameof(blocks));
        }

        for (var i = 1; i < blocks.Count; i++)
        {
            if (blocks[i].Number != blocks[i - 1].Number + 1)
            {
                throw new ArgumentException($"blocks must be consecutive: {blocks[i - 1].Number} is followed by {blocks[i].Number}", nameof(blocks));
            }
        }

        _body.ResetWrittenCount();
        if (_options.Layout == BodyLayout.Columnar)
        {
            _columnar.Write(blocks, _body);
        }
        else
        {
            PlainBody.Write(blocks, _body);
        }

        var body = _body.WrittenSpan;
        var header = new BatchHeader(chainId, batchIndex, blocks[0].Number, blocks[^1].Number, blocks[0].FirstSequence,
            parentAccumulator.ToArray(), blocks[^1].Accumulator, _options.Compression, _options.Layout, (uint)body.Length)
        {
            Version = section is null ? BatchFormat.Version1 : BatchFormat.Version2,
        };
        int written;
        switch (_options.Compression)
        {
            case BodyCompression.Zstd:
                // Compressed straight after the header in a buffer kept between batches: the only allocation
                // per batch is the exact-size result, not a worst-case-size array per batch as well.
                var zstdOutput = Output(Compressor.GetCompressBound(body.Length));
                written = _zstd!.Wrap(body, zstdOutput.AsSpan(_prefix));
                break;
            case BodyCompression.Brotli:
                var brotliOutput = Output(BrotliEncoder.GetMaxCompressedLength(body.Length));
                if (!BrotliEncoder.TryCompress(body, brotliOutput.AsSpan(_prefix), out written, _options.Level, 24))
                {
                    throw new InvalidOperationException("Brotli output exceeded its own bound");
                }

                break;
            default:
                body.CopyTo(Output(body.Length).AsSpan(_prefix));
                written = body.Length;
                break;
        }

        header.Write(_output);
        section?.Write(_output.AsSpan(BatchFormat.HeaderLength));
        return _output.AsSpan(0, _prefix + written).ToArray();
    }

    /// <summary>The reusable output buffer, grown to hold the header and <paramref name="bodyBound"/> bytes.</summary>
    private byte[] Output(int bodyBound)
    {
        var needed = _prefix + bodyBound;
        if (_output.Length < needed)
        {
            _output = new byte[Math.Max(needed, _output.Length * 2)];
        }

        return _output;
    }

    public void Dispose() => _zstd?.Dispose();
}
