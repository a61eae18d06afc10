using TestInfrastructure.Oidc;

namespace Admission.Tests.Infrastructure;

[CollectionDefinition(OidcProviderFixture.Collection)]
public sealed class OidcProviderCollection : ICollectionFixture<OidcProviderFixture>;
