using System.Buffers.Text;
using System.Text;
using Azure.Core;

namespace Compliance.Azure.Tests.Identity;

/// <summary>Access tokens shaped as Entra ID issues them (a JWT whose payload names the tenant in "tid"), unsigned: only the claims matter here.</summary>
internal static class TestTokens
{
    public static string For(string tenantId, string audience = "https://management.azure.com") =>
        $"{Part("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"test\"}")}.{Part($"{{\"aud\":\"{audience}\",\"iss\":\"https://sts.windows.net/{tenantId}/\",\"tid\":\"{tenantId}\",\"oid\":\"6f1c4a0e-0c57-4b8e-9d62-3f2a1b0c9d8e\"}}")}.c2lnbmF0dXJl";

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>A credential whose tokens are issued in <paramref name="tenantId"/>, recording the scopes asked for.</summary>
    public sealed class Credential(string tenantId) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken(For(tenantId), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
