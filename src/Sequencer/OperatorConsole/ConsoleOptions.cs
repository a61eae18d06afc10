using System.ComponentModel.DataAnnotations;

namespace Sequencer.OperatorConsole;

/// <summary>The operator console's server-side history ("Sequencer:Console", docs/admission.md "Operator console").</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Sequencer:Console";

    /// <summary>Seconds between two samples; the history keeps the last hour of them (3600 / this).</summary>
    [Range(1, 60)]
    public int SampleSeconds { get; set; } = 5;
}
