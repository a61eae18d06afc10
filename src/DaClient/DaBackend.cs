namespace DaClient;

/// <summary>Which DA layer the batcher writes to (<c>Sequencer:Da:Kind</c>).</summary>
public enum DaBackend
{
    /// <summary>Files in the data directory; the embedded default.</summary>
    Local,

    /// <summary>An eigenda-proxy over REST.</summary>
    Proxy,

    /// <summary>The EigenDA disperser v2 over gRPC.</summary>
    Disperser,
}
