using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Admission.Identity;

namespace Admission.Verification;

/// <summary>
/// The JSON body sent to a verifier (docs/admission.md, "Verifier hook"). Written by hand with a
/// <see cref="Utf8JsonWriter"/> so that the same question is always the same bytes (claims sorted by name,
/// no time, no request id): the body is then both what is signed and the cache key, and the cache is keyed
/// on exactly what the endpoint's answer can depend on. The time goes in a header.
/// </summary>
internal static class VerifierRequest
{
    /// <summary>The contract's version, in the body and in the signature header's "v1=".</summary>
    public const int Version = 1;

    public static byte[] Body(string verifier, string rule, AdmissionIdentity identity, string to, byte[] data, UInt128 value, ulong gas)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(data);
        var buffer = new ArrayBufferWriter<byte>(512 + data.Length * 2);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("verifier", verifier);
            json.WriteString("rule", rule);
            json.WriteStartObject("identity");
            json.WriteString("key", identity.Key);
            json.WriteString("provider", identity.Provider);
            json.WriteString("issuer", identity.Issuer);
            json.WriteString("subject", identity.Subject);
            json.WriteStartObject("claims");
            foreach (var name in SortedClaimNames(identity))
            {
                json.WriteString(name, identity.Claims[name]);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("call");
            json.WriteString("to", to);
            if (data.Length >= 4)
            {
                json.WriteString("selector", "0x" + Convert.ToHexStringLower(data.AsSpan(0, 4)));
            }
            else
            {
                json.WriteNull("selector");
            }

            json.WriteString("data", "0x" + Convert.ToHexStringLower(data));
            json.WriteString("value", "0x" + value.ToString("x", CultureInfo.InvariantCulture));
            json.WriteString("gas", "0x" + gas.ToString("x", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string[] SortedClaimNames(AdmissionIdentity identity)
    {
        var names = new string[identity.Claims.Count];
        var i = 0;
        foreach (var name in identity.Claims.Keys)
        {
            names[i++] = name;
        }

        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }
}
