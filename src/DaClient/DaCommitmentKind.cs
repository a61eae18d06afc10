namespace DaClient;

/// <summary>
/// First byte of every DA commitment posted on L1: says where the batch lives and how the rest
/// of the commitment is laid out (docs/da.md, "Commitment bytes").
/// </summary>
public enum DaCommitmentKind : byte
{
    /// <summary>Local file store; body = keccak256(batch), 32 bytes.</summary>
    Local = 0x00,

    /// <summary>eigenda-proxy; body = proxy commitment mode byte, then the proxy's commitment bytes.</summary>
    EigenDaProxy = 0x01,

    /// <summary>EigenDA disperser v2; body = protobuf <c>daclient.DisperserCertificate</c>.</summary>
    DisperserCertificate = 0x02,

    /// <summary>The batch itself is in the L1 transaction's calldata; body = keccak256(batch), 32 bytes.</summary>
    L1Calldata = 0x03,
}
