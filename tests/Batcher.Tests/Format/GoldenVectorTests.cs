using System.Text;
using System.Text.RegularExpressions;
using Batcher.Format;
using TestInfrastructure.Processes;

namespace Batcher.Tests.Format;

/// <summary>The golden vectors printed in docs/batch-format.md are what the encoder produces and decode to the listed blocks.</summary>
public sealed partial class GoldenVectorTests
{
    private const string Begin = "<!-- golden:begin -->";
    private const string End = "<!-- golden:end -->";

    private static readonly (string Name, BatchCodecOptions Options)[] Vectors =
    [
        ("columnar-none", new BatchCodecOptions(BodyLayout.Columnar, BodyCompression.None, 0)),
        ("columnar-zstd3", new BatchCodecOptions(BodyLayout.Columnar, BodyCompression.Zstd, 3)),
        ("plain-none", new BatchCodecOptions(BodyLayout.Plain, BodyCompression.None, 0)),
    ];

    private static string DocPath => Path.Combine(ToolPaths.RepoRoot, "docs", "batch-format.md");

    [Fact]
    public void Golden_vectors_in_the_document_are_what_the_encoder_writes()
    {
        var expected = GoldenSection();
        var document = File.ReadAllText(DocPath);
        if (Environment.GetEnvironmentVariable("BATCHER_WRITE_GOLDEN") == "1")
        {
            var start = document.IndexOf(Begin, StringComparison.Ordinal);
            document = start < 0 ? document.Replace("GOLDEN-VECTORS", expected, StringComparison.Ordinal)
                : document[..start] + expected + document[(document.IndexOf(End, StringComparison.Ordinal) + End.Length)..];
            File.WriteAllText(DocPath, document);
        }

        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        Assert.True(begin >= 0, "docs/batch-format.md has no golden vector section");
        var actual = document[begin..(document.IndexOf(End, StringComparison.Ordinal) + End.Length)];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Golden_vectors_decode_with_the_documented_reader_to_the_listed_transactions()
    {
        var document = File.ReadAllText(DocPath);
        var listed = HexBlock().Matches(document).ToDictionary(m => m.Groups["name"].Value, m => Convert.FromHexString(WhiteSpace().Replace(m.Groups["hex"].Value, "")));
        foreach (var (name, _) in Vectors)
        {
            var (header, blocks) = DocumentedBatchReader.Read(listed["batch " + name]);
            Assert.Equal(GoldenBatch.ChainId, header.ChainId);
            Assert.Equal(GoldenBatch.BatchIndex, header.BatchIndex);
            Assert.Equal([7UL, 8UL], blocks.Select(b => b.Number));
            Assert.Equal([1_760_000_000UL, 1_760_000_001UL], blocks.Select(b => b.Timestamp));
            var transactions = blocks.SelectMany(b => b.Transactions).ToList();
            Assert.Equal(4, transactions.Count);
            for (var i = 0; i < transactions.Count; i++)
            {
                Assert.Equal(listed[$"transaction {i}"], transactions[i]);
            }

            // The accumulator chain over the listed transactions ends at the header's end accumulator.
            var accumulator = header.ParentAccumulator;
            foreach (var tx in transactions)
            {
                accumulator = Chain.TestChain.NextAccumulator(accumulator, Nethereum.Util.Sha3Keccack.Current.CalculateHash(tx));
            }

            Assert.Equal(header.EndAccumulator, accumulator);
        }
    }

    private static string GoldenSection()
    {
        var blocks = GoldenBatch.Blocks();
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        var index = 0;
        foreach (var block in blocks)
        {
            foreach (var tx in block.Transactions)
            {
                text.Append($"\nBlock {block.Number}, transaction {index}:\n\n```hex transaction {index}\n{Wrap(tx.Span)}\n```\n");
                index++;
            }
        }

        foreach (var (name, options) in Vectors)
        {
            using var encoder = new BatchEncoder(options);
            var batch = encoder.Encode(GoldenBatch.ChainId, GoldenBatch.BatchIndex, blocks, GoldenBatch.ParentAccumulator);
            text.Append($"\nBatch, layout {options.Layout.ToString().ToLowerInvariant()}, compression {options.Compression.ToString().ToLowerInvariant()}"
                + (options.Compression == BodyCompression.Zstd ? $" (level {options.Level}; any zstd encoder's output decodes the same)" : "")
                + $", {batch.Length} bytes, batchHash 0x{Convert.ToHexStringLower(Nethereum.Util.Sha3Keccack.Current.CalculateHash(batch))}:\n\n```hex batch {name}\n{Wrap(batch)}\n```\n");
        }

        text.Append('\n').Append(End);
        return text.ToString();
    }

    private static string Wrap(ReadOnlySpan<byte> bytes)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return string.Join('\n', Enumerable.Range(0, (hex.Length + 63) / 64).Select(i => hex.Substring(i * 64, Math.Min(64, hex.Length - i * 64))));
    }

    [GeneratedRegex("```hex (?<name>[^\\n]+)\\n(?<hex>[0-9a-f\\n]+)```")]
    private static partial Regex HexBlock();

    [GeneratedRegex("\\s+")]
    private static partial Regex WhiteSpace();
}
