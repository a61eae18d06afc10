namespace Primitives.Secrets;

/// <summary>What a secret must decode to: a length range in bytes, and whether it is a secp256k1 private key.</summary>
public readonly record struct SecretShape(int MinBytes, int MaxBytes, bool IsPrivateKey)
{
    /// <summary>A secp256k1 private key: 32 bytes, not zero and below the curve order.</summary>
    public static SecretShape PrivateKey { get; } = new(32, 32, true);

    /// <summary>Exactly <paramref name="length"/> bytes.</summary>
    public static SecretShape Bytes(int length) => new(length, length, false);

    /// <summary>At least <paramref name="minBytes"/> bytes (and at most 1 KiB, so a wrong file is not taken for a secret).</summary>
    public static SecretShape AtLeast(int minBytes) => new(minBytes, 1024, false);

    /// <summary>How the expected value is described in errors.</summary>
    public string Expected => IsPrivateKey
        ? "a secp256k1 private key (64 hex digits)"
        : MinBytes == MaxBytes ? $"{MinBytes} bytes ({2 * MinBytes} hex digits)" : $"at least {MinBytes} bytes ({2 * MinBytes} hex digits or more)";
}
