using Batcher.Verification;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using TestInfrastructure.Anvil;

namespace Batcher.Tests.Verification;

public sealed class ConfirmationSignatureTests
{
    private const ulong ChainId = 424242;

    [Fact]
    public void A_signed_confirmation_recovers_to_its_signer_and_an_altered_one_does_not()
    {
        var key = new EthECKey(AnvilNode.DevKey0);
        var confirmation = new SoftConfirmation("0x" + new string('1', 64), 42, 7, 3, 1_760_000_000, "0x" + new string('2', 64), null, null);
        var signed = confirmation with { Signature = Sign(confirmation, key) };

        Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), ConfirmationSignature.RecoverSigner(signed, ChainId));
        Assert.NotEqual(key.GetPublicAddress().ToLowerInvariant(), ConfirmationSignature.RecoverSigner(signed with { Sequence = 43 }, ChainId));
        Assert.NotEqual(key.GetPublicAddress().ToLowerInvariant(), ConfirmationSignature.RecoverSigner(signed, ChainId + 1));
    }

    // Signs through Nethereum's typed-data JSON path, the way a wallet would, not through the code under test.
    private static string Sign(SoftConfirmation c, EthECKey key)
    {
        var json = $$"""
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"}],
        "SoftConfirmation":[{"name":"txHash","type":"bytes32"},{"name":"sequence","type":"uint64"},{"name":"blockNumber","type":"uint64"},{"name":"index","type":"uint32"},{"name":"timestamp","type":"uint64"},{"name":"accumulator","type":"bytes32"}]},
        "primaryType":"SoftConfirmation","domain":{"name":"RollupSequencer","version":"1","chainId":{{ChainId}}},
        "message":{"txHash":"{{c.TxHash}}","sequence":{{c.Sequence}},"blockNumber":{{c.BlockNumber}},"index":{{c.Index}},"timestamp":{{c.Timestamp}},"accumulator":"{{c.Accumulator}}" } }
        """;
        return new Eip712TypedDataSigner().SignTypedDataV4(json, key);
    }
}
