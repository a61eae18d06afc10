using System.Buffers.Binary;
using System.Numerics;

namespace Sequencer.Log;

/// <summary>
/// CRC-32C (Castagnoli) over the CPU's CRC instructions (SSE4.2 / ARMv8). System.IO.Hashing has
/// only the IEEE polynomial; this one is a few lines on top of BitOperations and runs at memory speed.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
