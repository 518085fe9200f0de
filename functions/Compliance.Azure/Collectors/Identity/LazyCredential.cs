using Azure.Core;

namespace Compliance.Azure.Collectors.Identity;

/// <summary>
/// A credential built on first use: nothing probes the machine for an identity (environment,
/// managed identity endpoint, Azure CLI) until a collection actually needs a token.
/// </summary>
internal sealed class LazyCredential(Func<TokenCredential> create) : TokenCredential
{
    private readonly Lazy<TokenCredential> _inner = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _inner.Value.GetToken(requestContext, cancellationToken);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _inner.Value.GetTokenAsync(requestContext, cancellationToken);
}
