namespace Admission.Policy;

/// <summary>One problem in a policy document: where (a JSON path such as "$.rules[0].rate.burst.count") and what.</summary>
internal sealed record PolicyError(string Path, string Problem)
{
    public override string ToString() => Path + ": " + Problem;
}
