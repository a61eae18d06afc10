using System.Globalization;

namespace Admission.Spending;

/// <summary>Wei as the chain's unit (10^18 wei), exactly: no floating point, trailing zeros dropped ("0.000021").</summary>
public static class WeiText
{
    private static readonly UInt128 WeiPerEther = 1_000_000_000_000_000_000;

    public static string Ether(UInt128 wei)
    {
        var whole = wei / WeiPerEther;
        var fraction = wei % WeiPerEther;
        if (fraction == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        return whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("D18", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
