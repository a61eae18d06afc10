using BenchmarkDotNet.Attributes;
using Batcher.Format;
using Primitives.Chain;

namespace Batcher.Benchmarks;

/// <summary>Encoding one ~1.4 MB batch of the realistic mix with each candidate codec (MB/s = raw bytes / mean).</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
[MemoryDiagnoser]
public class CompressionBenchmarks : IDisposable
{
    private IReadOnlyList<SealedBlock> _blocks = [];
    private BatchEncoder? _encoder;
    private byte[] _encoded = [];

    [Params("plain-zstd3", "plain-zstd9", "plain-zstd19", "plain-brotli11", "columnar-zstd3", "columnar-zstd9", "columnar-brotli11")]
    public string Codec { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _blocks = TransactionMix.Blocks(8000);
        var parts = Codec.Split('-');
        var layout = parts[0] == "plain" ? BodyLayout.Plain : BodyLayout.Columnar;
        var compression = parts[1].StartsWith("zstd", StringComparison.Ordinal) ? BodyCompression.Zstd : BodyCompression.Brotli;
        var level = int.Parse(parts[1].TrimStart("zstdbroli".ToCharArray()), System.Globalization.CultureInfo.InvariantCulture);
        _encoder = new BatchEncoder(new BatchCodecOptions(layout, compression, level));
        _encoded = _encoder.Encode(TransactionMix.ChainId, 0, _blocks, new byte[32]);
    }

    [Benchmark]
    public int Encode() => _encoder!.Encode(TransactionMix.ChainId, 0, _blocks, new byte[32]).Length;

    [Benchmark]
    public int Decode() => BatchDecoder.Decode(_encoded).Blocks.Count;

    [GlobalCleanup]
    public void Cleanup() => _encoder?.Dispose();

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }
}
