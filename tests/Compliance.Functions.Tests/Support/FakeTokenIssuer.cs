using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Compliance.Functions.Tests.Support;

/// <summary>
/// The Microsoft identity platform's token issuer on loopback: the tenant's OpenID Connect metadata
/// (/{tenant}/v2.0/.well-known/openid-configuration, with the issuer in the v2.0 shape Entra ID
/// publishes) and its JSON Web Key Set, and access tokens signed with a test RSA key as Entra ID signs
/// them (RS256, a kid naming the key; roles in the "roles" claim).
/// </summary>
internal sealed class FakeTokenIssuer : IAsyncDisposable
{
    public const string TenantId = "72f988bf-0000-4a1b-9c2d-3e4f5a6b7c8d";
    public const string ApiClientId = "8e1d2c3b-4a5f-4e6d-9c7b-a1b2c3d4e5f6";
    public const string ApiAppIdUri = "api://compliance-scanner";

    private readonly LoopbackServer _server;
    private readonly RsaSecurityKey _key;

    private FakeTokenIssuer(LoopbackServer server, RsaSecurityKey key)
    {
        _server = server;
        _key = key;
    }

    /// <summary>The authority as the app is configured with it (Api:Entra:Authority).</summary>
    public Uri Authority => new($"http://127.0.0.1:{_server.Port}/{TenantId}/v2.0");

    /// <summary>The issuer the metadata names and the tokens carry.</summary>
    public static string Issuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";

    public int MetadataReads { get; private set; }

    public static async Task<FakeTokenIssuer> StartAsync()
    {
        FakeTokenIssuer? issuer = null;
        var server = await LoopbackServer.StartAsync(context => issuer!.HandleAsync(context));
        issuer = new FakeTokenIssuer(server, NewKey("test-key-1"));
        return issuer;
    }

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    /// <summary>An access token for this API (v2.0: the audience is the client id), valid from <paramref name="now"/> for an hour.</summary>
    public string Token(DateTimeOffset now, string[] roles, string? audience = null, TimeSpan? lifetime = null, SecurityKey? signWith = null, string? issuer = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["tid"] = TenantId,
            ["oid"] = "4b3a2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0",
            ["azp"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            ["ver"] = "2.0",
        };
        if (roles.Length > 0)
        {
            claims["roles"] = roles;
        }

        var start = lifetime < TimeSpan.Zero ? now + lifetime.Value - TimeSpan.FromHours(1) : now.AddMinutes(-1);
        var end = lifetime < TimeSpan.Zero ? now + lifetime.Value : now + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? ApiClientId,
            IssuedAt = start.UtcDateTime,
            NotBefore = start.UtcDateTime,
            Expires = end.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signWith ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        context.Response.ContentType = "application/json";
        if (path == $"/{TenantId}/v2.0/.well-known/openid-configuration")
        {
            MetadataReads++;
            var self = $"http://127.0.0.1:{_server.Port}";
            await context.Response.WriteAsync(new JsonObject
            {
                ["token_endpoint"] = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
                ["jwks_uri"] = $"{self}/{TenantId}/discovery/v2.0/keys",
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["subject_types_supported"] = new JsonArray("pairwise"),
            }.ToJsonString());
            return;
        }

        if (path == $"/{TenantId}/discovery/v2.0/keys")
        {
            var parameters = _key.Rsa.ExportParameters(false);
            await context.Response.WriteAsync(new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = _key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                }),
            }.ToJsonString());
            return;
        }

        context.Response.StatusCode = 404;
    }
}
