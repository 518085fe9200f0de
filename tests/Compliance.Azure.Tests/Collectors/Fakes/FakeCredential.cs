using Azure.Core;
using Azure.Identity;

namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>A credential that hands out a fixed token and records the scopes asked for; never touches the network.</summary>
public sealed class FakeCredential(bool unavailable = false) : TokenCredential
{
    private readonly List<string> _scopes = [];

    public IReadOnlyList<string> Scopes
    {
        get
        {
            lock (_scopes)
            {
                return [.. _scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_scopes)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        if (unavailable)
        {
            throw new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials (fake: none configured).");
        }

        return new AccessToken("fake-token", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
