namespace Sequencer.Transactions;

/// <summary>Which door a transaction came in by; the fee rules differ.</summary>
public enum TxLane
{
    /// <summary>eth_sendRawTransaction / sequencer_sendRawTransaction: the sender pays a fee.</summary>
    Paid = 0,

    /// <summary>Signed by an identity account after admission: zero fee is expected, no fee floor.</summary>
    Sponsored = 1,
}
