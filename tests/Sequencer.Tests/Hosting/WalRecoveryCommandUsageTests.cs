using Sequencer.Hosting;

namespace Sequencer.Tests.Hosting;

/// <summary>Bad usage of <c>--recover-wal</c> ends like every other bad usage: exit code 2 and one line (issue 14).</summary>
public sealed class WalRecoveryCommandUsageTests
{
    [Fact]
    public void An_unknown_option_of_recover_wal_exits_2_with_one_line_naming_it()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = WalRecoveryCommand.Run(["--recover-wal", "--bogus"], output, error);

        Assert.Equal(2, code);
        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequencer --recover-wal: unknown option --bogus; settings are given as --Key=value", Assert.Single(lines).TrimEnd('\r'));
        Assert.Empty(output.ToString());
    }
}
