namespace Admission.Identity;

/// <summary>Reads a role claim: one or more roles, separated by spaces or commas (several provider values arrive joined by spaces).</summary>
internal static class OperatorRoles
{
    public static bool Contains(string? roles, string role)
    {
        if (string.IsNullOrEmpty(roles))
        {
            return false;
        }

        foreach (var value in roles.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(value, role, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
