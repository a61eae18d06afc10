namespace Batcher.Format;

/// <summary>Which layout and compressor the encoder uses; the defaults are the measured choice (docs/benchmarks-batch.md).</summary>
public sealed record BatchCodecOptions(BodyLayout Layout = BodyLayout.Columnar, BodyCompression Compression = BodyCompression.Zstd, int Level = 3)
{
    public static BatchCodecOptions Default { get; } = new();
}
