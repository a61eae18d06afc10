using Sequencer.Options;
using Microsoft.Extensions.Options;

namespace Sequencer.Hosting;

/// <summary>The check of <see cref="HistoryOptions"/> that relates two settings.</summary>
internal sealed class HistoryOptionsValidator : IValidateOptions<SequencerOptions>
{
    public ValidateOptionsResult Validate(string? name, SequencerOptions options)
    {
        var history = options.History;
        if (history is null)
        {
            return ValidateOptionsResult.Skip;
        }

        // Memory drops only what a chunk covers: a chunk larger than half the bound would let memory pass it by more
        // than the documented half.
        return history.ChunkTransactions > history.MaxTransactions / 2
            ? ValidateOptionsResult.Fail(
                $"Sequencer:History:ChunkTransactions ({history.ChunkTransactions}) must be at most half of Sequencer:History:MaxTransactions ({history.MaxTransactions}).")
            : ValidateOptionsResult.Success;
    }
}
