namespace Primitives.Rlp;

/// <summary>Why <see cref="RlpReader"/> refused its input.</summary>
public enum RlpError
{
    None = 0,

    /// <summary>An item was expected but the list (or input) ended.</summary>
    Missing,

    /// <summary>A header claims more bytes than the input holds.</summary>
    Truncated,

    /// <summary>A valid encoding, but not the one shortest form Ethereum accepts.</summary>
    NonCanonical,

    /// <summary>A list where a byte string belongs, or the other way round.</summary>
    WrongKind,

    /// <summary>A fixed-size byte string (an address, a hash) of another size.</summary>
    WrongLength,

    /// <summary>An integer longer than its field allows.</summary>
    IntegerTooLong,
}
