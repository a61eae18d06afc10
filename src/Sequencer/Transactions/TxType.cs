namespace Sequencer.Transactions;

/// <summary>The EIP-2718 transaction types the sequencer accepts (the wire type byte).</summary>
public enum TxType : byte
{
    /// <summary>RLP list without a type byte, replay-protected by EIP-155.</summary>
    Legacy = 0x00,

    /// <summary>EIP-2930: gas price plus an access list.</summary>
    AccessList = 0x01,

    /// <summary>EIP-1559: max fee and max priority fee per gas, plus an access list.</summary>
    DynamicFee = 0x02,
}
