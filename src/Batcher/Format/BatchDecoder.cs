using System.IO.Compression;
using ZstdSharp;

namespace Batcher.Format;

/// <summary>Reads batch bytes back into blocks; every malformation is a <see cref="BatchFormatException"/>.</summary>
public static class BatchDecoder
{
    public static DecodedBatch Decode(ReadOnlySpan<byte> batch)
    {
        var header = BatchHeader.Read(batch);
        var forced = ForcedSection.None;
        var compressed = batch[BatchFormat.HeaderLength..];
        if (header.Version == BatchFormat.Version2)
        {
            forced = ForcedSection.Read(compressed, out var forcedLength);
            compressed = compressed[forcedLength..];
        }

        var body = new byte[header.BodyLength];
        int written;
        switch (header.Compression)
        {
            case BodyCompression.Zstd:
                try
                {
                    using var zstd = new Decompressor();
                    written = zstd.Unwrap(compressed, body);
                }
                catch (ZstdException e)
                {
                    throw new BatchFormatException($"zstd body does not decompress to the declared {header.BodyLength} bytes: {e.Message}");
                }

                break;
            case BodyCompression.Brotli:
                if (!BrotliDecoder.TryDecompress(compressed, body, out written))
                {
                    throw new BatchFormatException($"Brotli body does not decompress into the declared {header.BodyLength} bytes");
                }

                break;
            default:
                if (compressed.Length != body.Length)
                {
                    throw new BatchFormatException($"uncompressed body is {compressed.Length} bytes, header declares {header.BodyLength}");
                }

                compressed.CopyTo(body);
                written = body.Length;
                break;
        }

        if (written != body.Length)
        {
            throw new BatchFormatException($"body decompresses to {written} bytes, header declares {header.BodyLength}");
        }

        var blocks = header.Layout == BodyLayout.Columnar ? ColumnarBody.Read(body, header) : PlainBody.Read(body, header);
        return new DecodedBatch(header, blocks) { Forced = forced };
    }
}
