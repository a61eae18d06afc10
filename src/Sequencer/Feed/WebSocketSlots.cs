using System.Buffers.Binary;
using System.Net;

namespace Sequencer.Feed;

/// <summary>
/// Open WebSocket connections, counted in total and per client address, so that one client cannot hold
/// every slot. An IPv6 client is counted by its /64 network: a single host is usually given a whole /64
/// and can pick any address in it.
/// </summary>
internal sealed class WebSocketSlots(int maxTotal, int maxPerAddress)
{
    private readonly Dictionary<UInt128, int> _perAddress = [];
    private readonly Lock _gate = new();
    private int _total;

    /// <summary>A slot for a connection from <paramref name="address"/>, or null and why not.</summary>
    public Slot? TryTake(IPAddress? address, out int status, out string refusal)
    {
        var key = KeyOf(address);
        lock (_gate)
        {
            if (_total >= maxTotal)
            {
                status = StatusCodes.Status503ServiceUnavailable;
                refusal = $"too many WebSocket connections (limit {maxTotal})";
                return null;
            }

            _perAddress.TryGetValue(key, out var count);
            if (count >= maxPerAddress)
            {
                status = StatusCodes.Status429TooManyRequests;
                refusal = $"too many WebSocket connections from your address (limit {maxPerAddress})";
                return null;
            }

            _perAddress[key] = count + 1;
            _total++;
        }

        status = 0;
        refusal = string.Empty;
        return new Slot(this, key);
    }

    private void Give(UInt128 key)
    {
        lock (_gate)
        {
            _total--;
            if (_perAddress[key] == 1)
            {
                _perAddress.Remove(key);
            }
            else
            {
                _perAddress[key]--;
            }
        }
    }

    /// <summary>IPv4 (also IPv4-mapped IPv6): the address; IPv6: its first 64 bits; unknown: one shared key.</summary>
    private static UInt128 KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return UInt128.MaxValue;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? ((UInt128)1 << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : (UInt128)BinaryPrimitives.ReadUInt64BigEndian(bytes) << 64;
    }

    /// <summary>One taken slot; disposing it gives it back (once).</summary>
    public sealed class Slot(WebSocketSlots slots, UInt128 key) : IDisposable
    {
        private int _given;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
            {
                slots.Give(key);
            }
        }
    }
}
