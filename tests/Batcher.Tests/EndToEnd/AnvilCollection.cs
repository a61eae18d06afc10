using TestInfrastructure.Anvil;

namespace Batcher.Tests.EndToEnd;

/// <summary>The batcher's L1 tests share one anvil and run one after another (one of them reverts the chain).</summary>
[CollectionDefinition(AnvilFixture.Collection)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>;
