namespace Admission.Accounts;

/// <summary>
/// The secret all identity keys are derived from. Holding it means holding every identity account,
/// so it is read once from config or a file, kept only here, and never printed: ToString is
/// overridden so that a log line or debugger view cannot leak it.
/// </summary>
internal sealed class MasterSecret
{
    public const int MinLength = 32;

    private readonly byte[] _bytes;

    public MasterSecret(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinLength)
        {
            throw new ArgumentException($"the master secret must be at least {MinLength} bytes, got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    internal ReadOnlySpan<byte> Bytes => _bytes;

    public override string ToString() => "MasterSecret(hidden)";
}
