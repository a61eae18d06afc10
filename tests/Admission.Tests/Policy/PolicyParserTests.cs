using Admission.Policy;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Policy;

public class PolicyParserTests
{
    [Fact]
    public void DefaultPolicy_IsValid()
    {
        var policy = DefaultPolicy.Load();

        Assert.True(policy.Version >= 1);
        Assert.NotEmpty(policy.Rules);
    }

    [Fact]
    public void ValidDocument_CompilesRulesWindowsAndSelectors()
    {
        var policy = Policies.Parse(Policies.Json(burst: 5, burstSeconds: 10));

        var rule = Assert.Single(policy.Rules);
        Assert.Equal("app", rule.Name);
        Assert.Equal(2_000_000, rule.Burst!.IntervalUs);
        Assert.Equal(10_000_000, rule.Burst.ToleranceUs);
        Assert.True(rule.AllowanceFor(Policies.Token)!.Allows(Policies.TransferData()));
        Assert.False(rule.AllowanceFor(Policies.Token)!.Allows([0xde, 0xad, 0xbe, 0xef]));
        Assert.Null(rule.AllowanceFor("0x2222222222222222222222222222222222222222"));
    }

    [Fact]
    public void EveryProblem_IsReportedWithItsPath()
    {
        const string json = """
            {
              "version": 1,
              "rules": [
                {
                  "name": "a",
                  "provider": "dev",
                  "allowedContracts": [ { "address": "0x12", "selectors": [ "0xabc" ] } ],
                  "maxGasPerTx": 5,
                  "rate": { "burst": { "count": 0, "periodSeconds": 10 } },
                  "maxValuePerTxWei": "lots"
                },
                { "name": "a", "provider": "" }
              ],
              "blocked": [ "nocolon" ]
            }
            """;

        Assert.False(PolicyParser.TryParse(json, out _, out var errors));
        var paths = errors.Select(e => e.Path).ToHashSet();
        Assert.Contains("$.rules[0].allowedContracts[0].address", paths);
        Assert.Contains("$.rules[0].allowedContracts[0].selectors[0]", paths);
        Assert.Contains("$.rules[0].maxGasPerTx", paths);
        Assert.Contains("$.rules[0].rate.burst.count", paths);
        Assert.Contains("$.rules[0].maxValuePerTxWei", paths);
        Assert.Contains("$.rules[1].name", paths);
        Assert.Contains("$.rules[1].provider", paths);
        Assert.Contains("$.rules[1].allowedContracts", paths);
        Assert.Contains("$.rules[1].rate", paths);
        Assert.Contains("$.globalDailySponsoredGas", paths);
        Assert.Contains("$.blocked[0]", paths);
        Assert.Contains(errors, e => e.Path == "$.rules[1].name" && e.Problem.Contains("unique", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownProperty_IsAnError_NotIgnored()
    {
        var json = Policies.Json().Replace("\"maxGasPerTx\"", "\"maxGasPerTX\"", StringComparison.Ordinal);

        Assert.False(PolicyParser.TryParse(json, out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Contains("maxGasPerTX", error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("$.rules[0]", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongType_IsReportedAtItsPath()
    {
        var json = Policies.Json().Replace("\"maxGasPerTx\": 200000", "\"maxGasPerTx\": \"much\"", StringComparison.Ordinal);

        Assert.False(PolicyParser.TryParse(json, out _, out var errors));
        Assert.Equal("$.rules[0].maxGasPerTx", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("5")]
    [InlineData("[\"true\"]")]
    [InlineData("{\"a\": 1}")]
    public void RequiredClaimValues_ThatAreNotStrings_AreErrorsAtTheirPath(string value)
    {
        var json = Policies.Json(extraRule: ", \"requiredClaims\": { \"verified\": " + value + " }");

        Assert.False(PolicyParser.TryParse(json, out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Equal("$.rules[0].requiredClaims.verified", error.Path);
        Assert.Contains("must be a string", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_OfAListReportsOnlyTheEntriesAddedAndRemoved()
    {
        var many = string.Join(", ", Enumerable.Range(0, 5_000).Select(i => $"\"x:user-{i:D6}\""));
        var before = Policies.Parse(Policies.Json(version: 1, blocked: many));
        var after = Policies.Parse(Policies.Json(version: 2, blocked: many.Replace("\"x:user-000007\", ", "", StringComparison.Ordinal) + ", \"dev:eve\""));

        var changes = PolicyDiff.Describe(before, after);

        Assert.Equal(["$.blocked: added \"dev:eve\"", "$.blocked: removed \"x:user-000007\""], changes);
    }

    [Fact]
    public void Diff_IsBoundedInLinesAndCharacters()
    {
        var before = Policies.Parse(Policies.Json(version: 1));
        var after = Policies.Parse(Policies.Json(version: 2, blocked: string.Join(", ", Enumerable.Range(0, 5_000).Select(i => $"\"x:{new string('s', 200)}-{i}\""))));

        var changes = PolicyDiff.Describe(before, after);

        Assert.True(changes.Sum(c => c.Length) <= PolicyDiff.MaxTotalChars + 100, $"{changes.Sum(c => c.Length)} characters");
        Assert.All(changes, c => Assert.True(c.Length <= PolicyDiff.MaxLineChars));
        Assert.StartsWith("... and ", changes[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void NotJson_IsAnErrorNotAnException()
    {
        Assert.False(PolicyParser.TryParse("{ not json", out _, out var errors));
        Assert.StartsWith("invalid JSON", Assert.Single(errors).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_NamesChangedRulesByName()
    {
        var before = Policies.Parse(Policies.Json(version: 1, burst: 3));
        var after = Policies.Parse(Policies.Json(version: 2, burst: 7, blocked: "\"dev:eve\""));

        var changes = PolicyDiff.Describe(before, after);

        Assert.Contains("$.rules.app.rate.burst.count: 3 → 7", changes);
        Assert.Contains(changes, c => c.StartsWith("$.blocked", StringComparison.Ordinal) && c.Contains("dev:eve", StringComparison.Ordinal));
        Assert.DoesNotContain(changes, c => c.StartsWith("$.version", StringComparison.Ordinal));
    }
}
