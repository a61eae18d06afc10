using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Sequencer.OperatorConsole;

/// <summary>The operator console's server-side history ("Sequencer:Console", docs/admission.md "Operator console").</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Sequencer:Console";

    /// <summary>Seconds between two samples; the history keeps the last hour of them (3600 / this).</summary>
    [Range(1, 60)]
    public int SampleSeconds { get; set; } = 5;
}

/// <summary>The annotations of <see cref="ConsoleOptions"/>, checked by generated code at start (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>;
