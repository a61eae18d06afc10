using Admission.Limits;

namespace Admission.Tests.Spending;

public sealed class EmbeddedSpendStoreTests : SpendStoreContract
{
    private readonly EmbeddedRateLimitStore _store = new();

    private protected override IRateLimitStore Store => _store;
}
