using TestInfrastructure.Oidc;

namespace Acceptance.Browser;

[CollectionDefinition(OidcProviderFixture.Collection)]
public sealed class OidcProviderCollection : ICollectionFixture<OidcProviderFixture>;
