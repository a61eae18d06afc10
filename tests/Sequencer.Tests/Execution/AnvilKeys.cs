namespace Sequencer.Tests.Execution;

/// <summary>
/// More keys of anvil's public test mnemonic ("test test ... junk"), funded by anvil at start: worthless,
/// well-known development keys, one per test so their nonces never collide.
/// </summary>
public static class AnvilKeys
{
    public const string Key2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    public const string Key3 = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

    public const string Key5 = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

    public const string Key6 = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";
}
