using Xunit;

namespace TestInfrastructure.Anvil;

/// <summary>
/// One anvil (automine on) shared by the test classes of a collection. Tests that need their own
/// mining mode or must kill the node start an <see cref="AnvilNode"/> themselves.
/// </summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    public const string Collection = "anvil";

    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("anvil is not started");

    public async Task InitializeAsync() => _node = await AnvilNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
