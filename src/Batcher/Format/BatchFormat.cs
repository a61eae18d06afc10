namespace Batcher.Format;

/// <summary>Fixed values of batch format v1 (docs/batch-format.md).</summary>
public static class BatchFormat
{
    /// <summary>"RBAT": lets a reader reject data that is not a batch before parsing anything.</summary>
    public static ReadOnlySpan<byte> Magic => "RBAT"u8;

    public const byte Version1 = 1;

    /// <summary>Bytes before the compressed body.</summary>
    public const int HeaderLength = 116;

    public const int HashLength = 32;

    /// <summary>Upper bound on the uncompressed body, so a hostile batch cannot make a reader allocate without limit.</summary>
    public const int MaxBodyLength = 64 * 1024 * 1024;
}
