using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Compliance.Functions.Http;

/// <summary>
/// Checks the Entra ID bearer token of an HTTP request: signed by a key of the issuer's OpenID Connect
/// metadata (read from the configured authority and cached; a key not found reads it again, so key
/// rollover works), issued by that issuer, for this API's audience, within its lifetime (judged on the
/// injected clock), and holding the app role the route needs in its "roles" claim (Microsoft identity
/// platform: app roles are issued in the roles claim of the access token). Refusals are values: 401
/// for a missing or invalid token, 403 for a valid token without the role.
/// </summary>
public sealed class ApiTokenValidator
{
    /// <summary>The named HttpClient that reads the OpenID Connect metadata and keys.</summary>
    public const string HttpClientName = "entra-openid-metadata";

    private readonly ApiTokenOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiTokenValidator> _logger;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly JsonWebTokenHandler _handler = new();

    public ApiTokenValidator(IOptions<ApiTokenOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<ApiTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClients);
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.Enabled && _options.Metadata is { } address)
        {
            var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = !address.IsLoopback };
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(address.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), retriever)
            {
                AutomaticRefreshInterval = _options.MetadataRefreshInterval,
                RefreshInterval = TimeSpan.FromMinutes(1),
            };
        }
    }

    /// <summary>Whether the request carries a valid token of this tenant, for this API, with <paramref name="role"/>.</summary>
    public async Task<ApiTokenResult> AuthorizeAsync(HttpRequest request, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_metadata is null)
        {
            return new ApiTokenResult(404, null, "Entra ID tokens are not enabled on this app: set Api:Entra:Authority and Api:Entra:Audiences (README, 'The API with Entra ID'), or call /api/… with a function key");
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return new ApiTokenResult(401, null, "this route needs an Entra ID access token: send 'Authorization: Bearer <token>' (a token for this API's audience, with an app role)");
        }

        var token = header[7..].Trim();
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            _logger.LogError("The OpenID Connect metadata at {Address} cannot be read: {Error}", _options.Metadata, ex.Message);
            return new ApiTokenResult(503, null, $"the token issuer's metadata ({_options.Metadata}) cannot be read now; try again later");
        }

        var result = await ValidateAsync(token, configuration);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rolled its keys since the metadata was read: read it again (at most once a minute) and retry.
            _metadata.RequestRefresh();
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
            result = await ValidateAsync(token, configuration);
        }

        if (!result.IsValid)
        {
            return new ApiTokenResult(401, "invalid_token", $"the bearer token is not valid here: {Describe(result.Exception)}");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (Lifetime(jwt) is { } expired)
        {
            return new ApiTokenResult(401, "invalid_token", expired);
        }

        var caller = $"{Claim(jwt, "oid") ?? Claim(jwt, "sub") ?? "unknown"} (app {Claim(jwt, "azp") ?? Claim(jwt, "appid") ?? "unknown"})";
        var roles = jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).ToList();
        if (!roles.Contains(role, StringComparer.Ordinal))
        {
            _logger.LogWarning("API call refused: caller {Caller} has roles [{Roles}], the route needs {Role}", caller, string.Join(", ", roles), role);
            return new ApiTokenResult(403, "insufficient_scope", $"the token has no app role '{role}', which this route needs: ask the API's owner to assign it (Enterprise applications → the API → Users and groups)", caller);
        }

        return new ApiTokenResult(200, null, "allowed", caller);
    }

    /// <summary>The refusal as the API answers it: the JSON error, with WWW-Authenticate on a 401 or 403 (RFC 6750, section 3).</summary>
    public static IActionResult Refuse(HttpRequest request, ApiTokenResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status is 401 or 403)
        {
            var challenge = result.Error is null ? "Bearer" : $"Bearer error=\"{result.Error}\"";
            request.HttpContext.Response.Headers.WWWAuthenticate = challenge;
        }

        var code = result.Status switch
        {
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "EntraNotEnabled",
            _ => "IssuerUnavailable",
        };
        return ApiResults.Error(result.Status, code, result.Message);
    }

    private Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = _options.ValidIssuers.Count > 0 ? _options.ValidIssuers : [configuration.Issuer],
            ValidAudiences = _options.Audiences,
            IssuerSigningKeys = configuration.SigningKeys,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],

            // Lifetime is judged below on the injected clock, not the machine's.
            ValidateLifetime = false,
            RequireExpirationTime = true,
        });

    private string? Lifetime(JsonWebToken jwt)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (jwt.ValidTo == DateTime.MinValue)
        {
            return "the bearer token has no expiry (exp)";
        }

        if (jwt.ValidTo + _options.ClockSkew < now)
        {
            return $"the bearer token expired at {jwt.ValidTo.ToString("u", CultureInfo.InvariantCulture)}: get a new one";
        }

        if (jwt.ValidFrom != DateTime.MinValue && jwt.ValidFrom - _options.ClockSkew > now)
        {
            return $"the bearer token is not valid before {jwt.ValidFrom.ToString("u", CultureInfo.InvariantCulture)}";
        }

        return null;
    }

    private static string? Claim(JsonWebToken jwt, string type) => jwt.TryGetPayloadValue<string>(type, out var value) ? value : null;

    private static string Describe(Exception? ex) => ex switch
    {
        SecurityTokenInvalidAudienceException => "it is for another audience than this API",
        SecurityTokenInvalidIssuerException => "it was issued by another issuer (tenant) than this API trusts",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not verify with the issuer's keys",
        SecurityTokenNoExpirationException => "it has no expiry",
        SecurityTokenMalformedException or ArgumentException => "it is not a JWT",
        SecurityTokenInvalidAlgorithmException => "it is not signed with RS256",
        null => "unknown reason",
        _ => ex.GetType().Name,
    };
}
