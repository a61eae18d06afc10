namespace Batcher.Format;

/// <summary>How the uncompressed body lays out blocks and transactions (header byte 111).</summary>
public enum BodyLayout : byte
{
    /// <summary>Blocks one after the other, each transaction as its raw envelope.</summary>
    Plain = 0,

    /// <summary>
    /// EIP-1559 transactions split into one section per field, with a dictionary of recipient
    /// addresses: like values sit together, which is what a general-purpose compressor exploits.
    /// </summary>
    Columnar = 1,
}
