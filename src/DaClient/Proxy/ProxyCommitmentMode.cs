namespace DaClient.Proxy;

/// <summary>
/// The eigenda-proxy commitment modes this client speaks. The value is also the mode byte stored
/// in front of the proxy's commitment (docs/da.md), so GET can ask in the same mode.
/// </summary>
public enum ProxyCommitmentMode : byte
{
    /// <summary><c>POST /put?commitment_mode=standard</c>; commitment = version byte ‖ cert.</summary>
    Standard = 0,

    /// <summary><c>POST /put</c> (OP alt-DA generic); commitment = 0x01 ‖ 0x00 ‖ version byte ‖ cert.</summary>
    OptimismGeneric = 1,
}
