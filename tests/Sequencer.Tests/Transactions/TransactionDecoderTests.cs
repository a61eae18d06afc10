using System.Numerics;
using Nethereum.Signer;
using Primitives;
using Sequencer.Transactions;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Transactions;

/// <summary>
/// The decoder and intake on transactions signed by Nethereum (an encoder independent of ours), and on broken
/// envelopes: each refusal names what is wrong and carries its reason code.
/// </summary>
public sealed class TransactionDecoderTests
{
    private const ulong ChainId = 424242;
    private static readonly TestWallet Wallet = TestWallet.FromSeed(11, ChainId);

    private static readonly TransactionIntake Intake = new(new TransactionValidator(new TransactionValidationOptions
    {
        ChainId = ChainId,
        MaxEncodedSize = 131_072,
        BlockGasLimit = 30_000_000,
        MinFeePerGasWei = 1_000_000,
    }));

    [Fact]
    public void A_1559_transfer_decodes_to_the_fields_it_was_signed_with()
    {
        var raw = Bytes(Wallet.Sign1559(7, value: 12345, gas: 30_000, maxFeePerGas: 3_000_000_000, maxPriorityFeePerGas: 1_500_000_000, data: "0xabcdef"));

        Assert.True(TransactionDecoder.TryDecode(raw, out var tx, out var rejection), rejection.ToString());

        Assert.Equal(TxType.DynamicFee, tx.Type);
        Assert.Equal(ChainId, tx.ChainId);
        Assert.Equal(7UL, tx.Nonce);
        Assert.Equal(30_000UL, tx.GasLimit);
        Assert.Equal((UInt128)3_000_000_000, tx.MaxFeePerGas);
        Assert.Equal((UInt128)1_500_000_000, tx.MaxPriorityFeePerGas);
        Assert.Equal(AddressOf(TestWallet.DeadAddress), tx.To);
        Assert.Equal(new BigInteger(12345), tx.Value);
        Assert.Equal([0xab, 0xcd, 0xef], tx.Data.ToArray());
        Assert.Equal(Keccak.Hash(raw), tx.Hash);
        Assert.False(tx.IsSenderRecovered);
    }

    [Fact]
    public void A_legacy_EIP155_transaction_takes_its_chain_id_from_v()
    {
        var raw = Bytes(Wallet.SignLegacy(3, gasPrice: 5_000_000_000));

        Assert.True(TransactionDecoder.TryDecode(raw, out var tx, out var rejection), rejection.ToString());

        Assert.Equal(TxType.Legacy, tx.Type);
        Assert.Equal(ChainId, tx.ChainId);
        Assert.Equal(3UL, tx.Nonce);
        Assert.Equal((UInt128)5_000_000_000, tx.GasPrice);
        Assert.True(tx.V is ChainId * 2 + 35 or ChainId * 2 + 36);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Intake_recovers_the_signer_as_the_sender(bool legacy)
    {
        var raw = Bytes(legacy ? Wallet.SignLegacy(0) : Wallet.Sign1559(0));

        Assert.True(Intake.TryAccept(raw, TxLane.Paid, out var tx, out var rejection), rejection.ToString());

        Assert.Equal(AddressOf(Wallet.Address), tx.Sender);
    }

    [Fact]
    public void A_legacy_transaction_without_chain_id_is_refused_as_replayable()
    {
        var raw = Bytes(new LegacyTransactionSigner().SignTransaction(
            new EthECKey(Wallet.PrivateKeyHex).GetPrivateKeyAsBytes(), TestWallet.DeadAddress, 1, 0, 2_000_000_000, 21_000, ""));

        Assert.False(TransactionDecoder.TryDecode(raw, out _, out var rejection));

        Assert.Equal(TxRejectionReason.MissingChainId, rejection.Reason);
        Assert.Contains("chain id", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_signed_for_another_chain_is_refused_by_intake_naming_both_ids()
    {
        var raw = Bytes(Wallet.Sign1559(0, chainId: 1));

        Assert.False(Intake.TryAccept(raw, TxLane.Paid, out _, out var rejection));

        Assert.Equal(TxRejectionReason.WrongChainId, rejection.Reason);
        Assert.Contains("424242", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", TxRejectionReason.MalformedEncoding, "empty input")]
    [InlineData("03c0", TxRejectionReason.UnsupportedType, "0x03")]
    [InlineData("04c0", TxRejectionReason.UnsupportedType, "0x04")]
    [InlineData("80", TxRejectionReason.MalformedEncoding, "0x80")]
    [InlineData("02", TxRejectionReason.MalformedEncoding, "")]
    [InlineData("02c0", TxRejectionReason.MalformedEncoding, "")]
    [InlineData("c0", TxRejectionReason.MalformedEncoding, "")]
    public void Broken_envelopes_are_refused_with_their_reason(string hex, TxRejectionReason reason, string mentioned)
    {
        Assert.False(TransactionDecoder.TryDecode(Convert.FromHexString(hex), out var tx, out var rejection));

        Assert.Null(tx);
        Assert.Equal(reason, rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
        Assert.Contains(mentioned, rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_valid_transaction_is_refused_as_malformed()
    {
        var raw = Bytes(Wallet.Sign1559(1, data: "0x0102030405"));

        for (var length = 0; length < raw.Length; length++)
        {
            Assert.False(TransactionDecoder.TryDecode(raw.AsMemory(0, length), out _, out var rejection), $"length {length}");
            Assert.Equal(TxRejectionReason.MalformedEncoding, rejection.Reason);
        }
    }

    [Fact]
    public void A_byte_after_the_transaction_is_refused_as_malformed()
    {
        var raw = Bytes(Wallet.Sign1559(1));
        var padded = new byte[raw.Length + 1];
        raw.CopyTo(padded, 0);

        Assert.False(TransactionDecoder.TryDecode(padded, out _, out var rejection));

        Assert.Equal(TxRejectionReason.MalformedEncoding, rejection.Reason);
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    private static Address AddressOf(string hex)
    {
        Assert.True(Address.TryParse(hex, out var address), hex);
        return address;
    }
}
