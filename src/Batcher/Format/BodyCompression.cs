namespace Batcher.Format;

/// <summary>How the body bytes after the header are compressed (header byte 110).</summary>
public enum BodyCompression : byte
{
    None = 0,

    /// <summary>One zstd frame (RFC 8878).</summary>
    Zstd = 1,

    /// <summary>One Brotli stream (RFC 7932).</summary>
    Brotli = 2,
}
