using Admission.Limits;

namespace Admission.Tests.Limits;

/// <summary>The day's global key names are made once a day and kept: asking for another day must never give the kept one.</summary>
public sealed class LimitKeysTests
{
    [Fact]
    public void GlobalKeys_NameTheDayAskedFor_WhenDaysAlternate()
    {
        for (var round = 0; round < 3; round++)
        {
            foreach (var day in new long[] { 20_000, 20_001, 19_999 })
            {
                Assert.Equal($"day:{day}:global-gas", LimitKeys.GlobalGas(day));
                Assert.Equal($"day:{day}:global-tx", LimitKeys.GlobalTx(day));
                Assert.Equal($"day:{day}:global-wei", LimitKeys.GlobalWei(day));
                Assert.Equal($"day:{day}:top-gas", LimitKeys.TopByGas(day));
            }
        }

        // Same day, same string: no new names per request.
        Assert.Same(LimitKeys.GlobalGas(20_002), LimitKeys.GlobalGas(20_002));
    }
}
