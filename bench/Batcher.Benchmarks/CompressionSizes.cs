using System.Diagnostics;
using Batcher.Format;

namespace Batcher.Benchmarks;

/// <summary>One pass over every codec on the same batch: the size table of docs/benchmarks-batch.md.</summary>
public static class CompressionSizes
{
    public static IReadOnlyList<BatchCodecOptions> Candidates { get; } =
    [
        new(BodyLayout.Plain, BodyCompression.None, 0),
        new(BodyLayout.Plain, BodyCompression.Zstd, 3),
        new(BodyLayout.Plain, BodyCompression.Zstd, 9),
        new(BodyLayout.Plain, BodyCompression.Zstd, 15),
        new(BodyLayout.Plain, BodyCompression.Zstd, 19),
        new(BodyLayout.Plain, BodyCompression.Brotli, 11),
        new(BodyLayout.Columnar, BodyCompression.Zstd, 3),
        new(BodyLayout.Columnar, BodyCompression.Zstd, 6),
        new(BodyLayout.Columnar, BodyCompression.Zstd, 9),
        new(BodyLayout.Columnar, BodyCompression.Zstd, 12),
        new(BodyLayout.Columnar, BodyCompression.Zstd, 15),
        new(BodyLayout.Columnar, BodyCompression.Zstd, 19),
        new(BodyLayout.Columnar, BodyCompression.Brotli, 11),
    ];

    public static void Print()
    {
        var blocks = TransactionMix.Blocks(8000);
        var raw = blocks.Sum(b => b.Transactions.Sum(t => t.Length));
        Console.WriteLine($"{blocks.Count} blocks, {blocks.Sum(b => b.Transactions.Count)} txs, {raw} raw tx bytes");
        foreach (var options in Candidates)
        {
            using var encoder = new BatchEncoder(options);
            var batch = encoder.Encode(TransactionMix.ChainId, 0, blocks, new byte[32]);
            var stopwatch = Stopwatch.StartNew();
            var rounds = 0;
            do
            {
                encoder.Encode(TransactionMix.ChainId, 0, blocks, new byte[32]);
                rounds++;
            }
            while (stopwatch.ElapsedMilliseconds < 1000);

            var seconds = stopwatch.Elapsed.TotalSeconds / rounds;
            var decoded = BatchDecoder.Decode(batch);
            if (decoded.Blocks.Sum(b => b.Transactions.Count) != blocks.Sum(b => b.Transactions.Count))
            {
                throw new InvalidOperationException("round trip lost transactions");
            }

            Console.WriteLine($"| {options.Layout} | {options.Compression} {options.Level} | {batch.Length} | {(double)raw / batch.Length:F3} | {raw / seconds / 1e6:F1} |");
        }
    }
}
