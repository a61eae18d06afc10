namespace Admission.Policy;

/// <summary>A contract sponsored calls may go to, and which functions of it.</summary>
internal sealed class ContractRule
{
    /// <summary>20-byte hex address.</summary>
    public string? Address { get; set; }

    /// <summary>4-byte function selectors ("0xa9059cbb"); empty or absent = any call, including plain transfers.</summary>
    public List<string>? Selectors { get; set; }
}
