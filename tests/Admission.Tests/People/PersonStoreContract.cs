using Admission.People;

namespace Admission.Tests.People;

/// <summary>What every <see cref="IPersonStore"/> does: embedded and on a real redis-server.</summary>
public abstract class PersonStoreContract
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private protected abstract IPersonStore Store { get; }

    private string Key(string name) => "dev:" + name + "-" + _run;

    [Fact]
    public async Task Linking_creates_a_person_then_joins_it_and_refuses_a_member_of_another()
    {
        var created = await Store.LinkAsync(Key("a"), Key("b"), "person:" + _run + "1", 16);
        Assert.Equal(LinkStatus.Linked, created.Status);
        Assert.Equal([Key("a"), Key("b")], created.Joined);

        var joined = await Store.LinkAsync(Key("c"), Key("b"), "person:unused", 16);
        Assert.Equal((LinkStatus.Linked, created.Person), (joined.Status, joined.Person));
        Assert.Equal([Key("c")], joined.Joined);
        Assert.Equal(LinkStatus.AlreadyLinked, (await Store.LinkAsync(Key("a"), Key("c"), "person:unused", 16)).Status);

        await Store.LinkAsync(Key("x"), Key("y"), "person:" + _run + "2", 16);
        Assert.Equal(LinkStatus.OtherPerson, (await Store.LinkAsync(Key("a"), Key("x"), "person:unused", 16)).Status);
        Assert.Equal(LinkStatus.Full, (await Store.LinkAsync(Key("a"), Key("d"), "person:unused", 3)).Status);
        Assert.Equal([Key("a"), Key("b"), Key("c")], await Store.MembersAsync(created.Person));
    }

    [Fact]
    public async Task Unlinking_only_works_within_ones_person_and_the_last_member_is_on_its_own_again()
    {
        var person = (await Store.LinkAsync(Key("a"), Key("b"), "person:" + _run, 16)).Person;

        Assert.Null((await Store.UnlinkAsync(Key("stranger"), Key("b"))).Person);
        var outcome = await Store.UnlinkAsync(Key("b"), Key("b"));

        Assert.Equal(person, outcome.Person);
        Assert.Equal([Key("b"), Key("a")], outcome.Left);
        Assert.Null(await Store.PersonOfAsync(Key("a")));
        Assert.Empty(await Store.MembersAsync(person));
    }

    [Fact]
    public async Task A_nonce_is_good_once_and_names_who_asked_for_it()
    {
        await Store.AddNonceAsync("n" + _run, Key("a"), DateTimeOffset.UtcNow.AddMinutes(5));

        Assert.Equal(Key("a"), await Store.TakeNonceAsync("n" + _run));
        Assert.Null(await Store.TakeNonceAsync("n" + _run));
        Assert.Null(await Store.TakeNonceAsync("never-issued" + _run));
    }
}
