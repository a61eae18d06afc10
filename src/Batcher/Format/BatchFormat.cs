namespace Batcher.Format;

/// <summary>Fixed values of the batch format, versions 1 and 2 (docs/batch-format.md).</summary>
public static class BatchFormat
{
    /// <summary>"RBAT": lets a reader reject data that is not a batch before parsing anything.</summary>
    public static ReadOnlySpan<byte> Magic => "RBAT"u8;

    public const byte Version1 = 1;

    /// <summary>Version 1 plus the forced-entry section after the header; written only by batches that consume forced entries.</summary>
    public const byte Version2 = 2;

    /// <summary>Bytes of the fixed header (in version 2 the forced-entry section follows it, then the compressed body).</summary>
    public const int HeaderLength = 116;

    public const int HashLength = 32;

    /// <summary>Upper bound on the uncompressed body, so a hostile batch cannot make a reader allocate without limit.</summary>
    public const int MaxBodyLength = 64 * 1024 * 1024;
}
