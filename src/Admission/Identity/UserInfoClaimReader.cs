using System.Security.Claims;
using System.Text.Json;

namespace Admission.Identity;

/// <summary>
/// Picks claims out of a provider's user-info JSON by dotted path. X nests everything under
/// "data" (and follower counts under "public_metrics"), Facebook does not; one mapping per
/// provider in configuration covers both.
/// </summary>
internal static class UserInfoClaimReader
{
    public static List<Claim> Read(JsonElement userInfo, IReadOnlyDictionary<string, string> paths, string issuer)
    {
        var claims = new List<Claim>(paths.Count);
        foreach (var (claimType, path) in paths)
        {
            if (TryFind(userInfo, path, out var value) && ToText(value) is { } text)
            {
                claims.Add(new Claim(claimType, text, ValueType(value), issuer));
            }
        }

        return claims;
    }

    private static bool TryFind(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        foreach (var segment in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => JoinScalars(value),
        _ => null,
    };

    // Several values (e.g. "roles": ["user", "operator"]) are kept joined by spaces, as for token claims.
    private static string? JoinScalars(JsonElement array)
    {
        var values = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array && ToText(item) is { } text)
            {
                values.Add(text);
            }
        }

        return values.Count == 0 ? null : string.Join(' ', values);
    }

    private static string ValueType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double,
        JsonValueKind.True or JsonValueKind.False => ClaimValueTypes.Boolean,
        _ => ClaimValueTypes.String,
    };
}
