using Primitives;

namespace Sequencer.Transactions;

/// <summary>One EIP-2930 access list entry: an address and the storage slots the sender pre-declares.</summary>
public readonly record struct AccessListEntry(Address Address, ReadOnlyMemory<Hash32> StorageKeys);
