using System.Globalization;
using System.Text.Json;
using Admission.Policy;

namespace Admission.Sponsorship;

/// <summary>
/// What a person asks to do for free: <c>{to, data, value?, gas?}</c>. <see cref="To"/> is lower-case "0x…";
/// <see cref="Gas"/> null means "the rule's default".
/// </summary>
public sealed record SponsoredCall(string To, byte[] Data, UInt128 Value, ulong? Gas)
{
    /// <summary>No transaction can use less gas than this.</summary>
    public const ulong MinGas = 21_000;

    /// <summary>Reads the JSON-RPC parameter object; on failure <paramref name="error"/> says which field and why.</summary>
    public static bool TryParse(JsonElement element, out SponsoredCall? call, out string? error)
    {
        call = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "expected an object {to, data, value?, gas?}";
            return false;
        }

        string? to = null;
        byte[] data = [];
        var value = UInt128.Zero;
        ulong? gas = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "to":
                    if (property.Value.ValueKind != JsonValueKind.String || !HexText.IsHexOfLength(property.Value.GetString(), 20))
                    {
                        error = "to must be a 20-byte hex address";
                        return false;
                    }

                    to = property.Value.GetString()!.ToLowerInvariant();
                    break;
                case "data" or "input":
                    if (!TryData(property.Value, out data))
                    {
                        error = property.Name + " must be hex data (0x followed by an even number of hex digits)";
                        return false;
                    }

                    break;
                case "value":
                    if (!TryQuantity(property.Value, out value))
                    {
                        error = "value must be a hex quantity (0x…) of wei";
                        return false;
                    }

                    break;
                case "gas":
                    if (!TryQuantity(property.Value, out var gasValue) || gasValue > ulong.MaxValue)
                    {
                        error = "gas must be a hex quantity (0x…)";
                        return false;
                    }

                    if (gasValue < MinGas)
                    {
                        error = $"gas must be at least {MinGas} (the intrinsic gas of any transaction), got {gasValue}";
                        return false;
                    }

                    gas = (ulong)gasValue;
                    break;
                default:
                    error = $"unknown field \"{property.Name}\" (expected to, data, value, gas)";
                    return false;
            }
        }

        if (to is null)
        {
            error = "to is required (sponsored transactions call a contract; contract creation is not sponsored)";
            return false;
        }

        call = new SponsoredCall(to, data, value, gas);
        error = null;
        return true;
    }

    private static bool TryData(JsonElement element, out byte[] data)
    {
        data = [];
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = element.GetString()!;
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length % 2 != 0 || !HexText.IsHex(text.AsSpan(2)))
        {
            return false;
        }

        data = Convert.FromHexString(text.AsSpan(2));
        return true;
    }

    private static bool TryQuantity(JsonElement element, out UInt128 value)
    {
        value = UInt128.Zero;
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetUInt64(out var number))
            {
                value = number;
                return true;
            }

            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = element.GetString()!;
        return text.Length is > 2 and <= 34 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
            UInt128.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
