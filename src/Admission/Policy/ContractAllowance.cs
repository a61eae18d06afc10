using System.Collections.Frozen;

namespace Admission.Policy;

/// <summary>The selectors allowed on one contract; <see cref="AnySelector"/> when the rule lists none.</summary>
internal sealed class ContractAllowance(FrozenSet<uint> selectors)
{
    public bool AnySelector => selectors.Count == 0;

    public IReadOnlyCollection<uint> Selectors => selectors;

    public bool Allows(ReadOnlySpan<byte> data)
    {
        if (AnySelector)
        {
            return true;
        }

        return data.Length >= 4 && selectors.Contains(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data));
    }
}
