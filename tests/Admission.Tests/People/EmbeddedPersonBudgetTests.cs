using Admission.Limits;
using Admission.People;
using Admission.Policy;

namespace Admission.Tests.People;

public sealed class EmbeddedPersonBudgetTests : PersonBudgetContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "person-budget-" + Guid.NewGuid().ToString("N"));
    private readonly FilePolicyStore _audit;
    private readonly EmbeddedPersonStore _people;

    public EmbeddedPersonBudgetTests()
    {
        _audit = new FilePolicyStore(_directory);
        _people = new EmbeddedPersonStore(Clock, _directory);
    }

    private protected override IRateLimitStore Limits { get; } = new EmbeddedRateLimitStore();

    private protected override IPersonStore People => _people;

    private protected override IPolicyStore Audit => _audit;

    public void Dispose()
    {
        _audit.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
