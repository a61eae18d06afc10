using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaClient;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;

namespace Acceptance.Batching;

/// <summary>
/// The whole publishing path with real parts: transactions confirmed by the sequencer process, batched
/// to the local DA store, committed on anvil, and the `verify` command (run as a process) re-deriving the
/// chain from L1 + DA alone. verify must pass on what was published and fail on a tampered DA blob and
/// on confirmations the published chain contradicts.
/// </summary>
public sealed partial class PublishedChainTests(PublishedChainFixture chain, ITestOutputHelper output) : IClassFixture<PublishedChainFixture>
{
    [Fact]
    public async Task Confirmed_transactions_are_published_to_DA_and_L1_and_verify_passes_against_the_file_and_the_sequencer_RPC()
    {
        var status = chain.BatcherStatus;
        var statusText = status.GetRawText();
        Assert.True(status.GetProperty("state").GetString() == "running", statusText);
        Assert.False(status.GetProperty("failedOver").GetBoolean(), statusText);
        Assert.True(status.GetProperty("calldataBatches").GetInt64() == 0, statusText);
        Assert.True(status.GetProperty("lastError").ValueKind == JsonValueKind.Null, statusText);
        Assert.True(status.GetProperty("nextBlock").GetUInt64() > chain.LastBlock, statusText);

        // Batches on L1: gap-free indices and blocks from 1, each a commitment into the local DA store whose file exists.
        var events = chain.Events;
        Assert.True(events.Count >= 2, $"expected several batches at a 4 KiB bound, got {events.Count}");
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal((ulong)i, events[i].BatchIndex);
            Assert.Equal(i == 0 ? 1UL : events[i - 1].LastBlock + 1, events[i].FirstBlock);
            Assert.Equal((byte)DaCommitmentKind.Local, events[i].DaCommitment[0]);
            Assert.True(File.Exists(DaFile(chain.DaDirectory, events[i])), $"batch {i} is not in the DA store");
        }

        // A fresh chain: the confirmations received are sequences 0..n-1, so a position is a sequence below.
        var total = chain.Confirmations.Count;
        for (var i = 0; i < total; i++)
        {
            Assert.Equal((ulong)i, SoftConfirmationVerifier.Quantity(chain.Confirmations[i], "sequence"));
        }

        var (fileExit, fileOutput) = await VerifyTool.RunAsync([.. chain.VerifyArguments(chain.DaDirectory), "--confirmations", chain.ConfirmationsFile]);
        output.WriteLine(fileOutput);
        Assert.True(fileExit == 0, fileOutput);
        Assert.Contains($"{events.Count} batches, {chain.LastBlock} blocks, {total} transactions published; {total} confirmations checked, 0 not yet published", fileOutput);
        Assert.Contains("verify: OK", fileOutput);

        var (rpcExit, rpcOutput) = await VerifyTool.RunAsync([.. chain.VerifyArguments(chain.DaDirectory), "--sequencer-rpc", chain.Sequencer.RpcUrl.ToString()]);
        output.WriteLine(rpcOutput);
        Assert.True(rpcExit == 0, rpcOutput);
        Assert.Contains($"{total} confirmations checked", rpcOutput);
        Assert.Contains("verify: OK", rpcOutput);
    }

    [Fact]
    public async Task A_tampered_DA_blob_makes_verify_fail_and_name_the_batch()
    {
        var copy = Path.Combine(chain.WorkDirectory, "da-tampered");
        CopyDirectory(chain.DaDirectory, copy);
        var (intactExit, intactOutput) = await VerifyTool.RunAsync([.. chain.VerifyArguments(copy), "--confirmations", chain.ConfirmationsFile]);
        Assert.True(intactExit == 0, "the untouched copy should verify:\n" + intactOutput);

        Assert.True(chain.Events.Count >= 2, $"expected several batches, got {chain.Events.Count}");
        var victim = chain.Events[chain.Events.Count / 2];
        var file = DaFile(copy, victim);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);

        var (exit, text) = await VerifyTool.RunAsync([.. chain.VerifyArguments(copy), "--confirmations", chain.ConfirmationsFile]);
        output.WriteLine(text);

        Assert.True(exit == 1, text);
        Assert.Contains($"MISMATCH: batch {victim.BatchIndex}:", text);
        Assert.Contains(Path.GetFileName(file), text);
        Assert.Contains("tampered", text);
        Assert.Contains($"batch {victim.BatchIndex - 1}: blocks", text);
        Assert.Contains("verify: FAILED", text);
    }

    [Fact]
    public async Task A_confirmation_altered_after_signing_contradicts_the_chain_and_fails_the_signature_check()
    {
        var sequence = chain.Confirmations.Count / 2;
        var honest = chain.Confirmations[sequence];
        var honestTx = honest.GetProperty("txHash").GetString()!.ToLowerInvariant();
        var forgedAccumulator = chain.Confirmations[sequence + 1].GetProperty("accumulator").GetString()!.ToLowerInvariant();
        var forged = JsonNode.Parse(honest.GetRawText())!.AsObject();
        forged["accumulator"] = forgedAccumulator;
        var file = await WriteWithAsync(sequence, forged, "altered.json");

        var (unsignedExit, unsignedText) = await VerifyTool.RunAsync([.. chain.VerifyArguments(chain.DaDirectory, checkSignatures: false), "--confirmations", file]);
        output.WriteLine(unsignedText);
        Assert.True(unsignedExit == 1, unsignedText);
        Assert.Contains($"MISMATCH: confirmation of sequence {sequence} contradicts batch", unsignedText);
        Assert.Contains($"accumulator {forgedAccumulator} but the chain has {honest.GetProperty("accumulator").GetString()!.ToLowerInvariant()}", unsignedText);
        Assert.Contains("verify: FAILED (1 problems)", unsignedText);

        var (signedExit, signedText) = await VerifyTool.RunAsync([.. chain.VerifyArguments(chain.DaDirectory), "--confirmations", file]);
        output.WriteLine(signedText);
        Assert.True(signedExit == 1, signedText);
        Assert.Contains($"MISMATCH: confirmation of sequence {sequence} ({honestTx}) is signed by", signedText);
        Assert.Contains($"not by the sequencer {chain.SequencerAddress}", signedText);
    }

    [Fact]
    public async Task A_confirmation_the_sequencer_signed_for_a_transaction_it_did_not_publish_makes_verify_fail()
    {
        // The sequencer promised sequence N to another transaction than the one it published there.
        var sequence = chain.Confirmations.Count / 3;
        var honest = chain.Confirmations[sequence];
        var parentAccumulator = chain.Confirmations[sequence - 1].GetProperty("accumulator").GetString()!;
        var otherTx = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a transaction never published"u8));
        var equivocation = JsonNode.Parse(honest.GetRawText())!.AsObject();
        equivocation["txHash"] = otherTx;
        equivocation["accumulator"] = SoftConfirmationVerifier.NextAccumulator(parentAccumulator, otherTx);
        equivocation["signature"] = SignAsSequencer(equivocation);
        Assert.Equal(chain.SequencerAddress, SoftConfirmationVerifier.RecoverSigner(JsonDocument.Parse(equivocation.ToJsonString()).RootElement, SequencerProcess.ChainId));
        var file = await WriteWithAsync(sequence, equivocation, "equivocation.json");

        var (exit, text) = await VerifyTool.RunAsync([.. chain.VerifyArguments(chain.DaDirectory), "--confirmations", file]);
        output.WriteLine(text);

        Assert.True(exit == 1, text);
        Assert.Contains($"MISMATCH: confirmation of sequence {sequence} contradicts batch", text);
        Assert.Contains($"txHash {otherTx} but the chain has {honest.GetProperty("txHash").GetString()!.ToLowerInvariant()}", text);
        Assert.Contains("verify: FAILED (1 problems)", text);
    }

    private static string DaFile(string daDirectory, Batcher.L1.BatchAppendedEvent appended) =>
        Path.Combine(daDirectory, Convert.ToHexStringLower(appended.DaCommitment.AsSpan(1)) + ".batch");

    /// <summary>Writes the honest confirmations with the one at <paramref name="sequence"/> replaced.</summary>
    private async Task<string> WriteWithAsync(int sequence, JsonObject replacement, string name)
    {
        var path = Path.Combine(chain.WorkDirectory, name);
        var nodes = chain.Confirmations.Select((c, i) => i == sequence ? replacement : JsonNode.Parse(c.GetRawText())!);
        await PublishedChainFixture.WriteConfirmationsAsync(path, nodes);
        return path;
    }

    /// <summary>EIP-712 over the confirmation with the sequencer's (test) key, through Nethereum's typed-data path.</summary>
    private static string SignAsSequencer(JsonObject c)
    {
        static ulong Quantity(JsonNode? node) => ulong.Parse(node!.GetValue<string>()[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var typedData = $$"""
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"}],
        "SoftConfirmation":[{"name":"txHash","type":"bytes32"},{"name":"sequence","type":"uint64"},{"name":"blockNumber","type":"uint64"},{"name":"index","type":"uint32"},{"name":"timestamp","type":"uint64"},{"name":"accumulator","type":"bytes32"}]},
        "primaryType":"SoftConfirmation","domain":{"name":"RollupSequencer","version":"1","chainId":{{SequencerProcess.ChainId}}},
        "message":{"txHash":"{{c["txHash"]!.GetValue<string>()}}","sequence":{{Quantity(c["sequence"])}},"blockNumber":{{Quantity(c["blockNumber"])}},"index":{{Quantity(c["index"])}},"timestamp":{{Quantity(c["timestamp"])}},"accumulator":"{{c["accumulator"]!.GetValue<string>()}}" } }
        """;
        return new Eip712TypedDataSigner().SignTypedDataV4(typedData, new EthECKey(SequencerProcess.TestPrivateKey));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
