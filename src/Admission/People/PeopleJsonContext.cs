using System.Text.Json.Serialization;

namespace Admission.People;

[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(LinkWalletRequest))]
[JsonSerializable(typeof(UnlinkRequest))]
[JsonSerializable(typeof(NonceRequest))]
[JsonSerializable(typeof(LoginLinkRequest))]
[JsonSerializable(typeof(LoginLinkReply))]
[JsonSerializable(typeof(PersonView))]
[JsonSerializable(typeof(SiweNonceReply))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class PeopleJsonContext : JsonSerializerContext;
