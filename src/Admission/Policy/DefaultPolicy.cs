namespace Admission.Policy;

/// <summary>The policy built into the assembly (Policy/default-policy.json), used when no policy file is configured.</summary>
internal static class DefaultPolicy
{
    public static string Json()
    {
        using var stream = typeof(DefaultPolicy).Assembly.GetManifestResourceStream("Admission.default-policy.json")
            ?? throw new InvalidOperationException("the default policy resource is missing from the Admission assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static AdmissionPolicy Load() =>
        PolicyParser.TryParse(Json(), out var policy, out var errors)
            ? policy!
            : throw new InvalidOperationException("the built-in default policy is invalid: " + string.Join("; ", errors));
}
