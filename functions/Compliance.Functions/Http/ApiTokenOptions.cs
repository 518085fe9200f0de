namespace Compliance.Functions.Http;

/// <summary>
/// Entra ID bearer tokens for the HTTP API (section "Api:Entra"), accepted on the /api/entra/… routes
/// beside the function keys of /api/…. Tokens are validated against the tenant's OpenID Connect
/// metadata (issuer and signing keys), this API's audience, their lifetime, and an app role per route:
/// <see cref="FindingsRead"/> for runs and findings, <see cref="EvidenceRead"/> for evidence files.
/// </summary>
public sealed class ApiTokenOptions
{
    public const string Section = "Api:Entra";

    /// <summary>The app role that reads runs and findings (GET /api/entra/runs…).</summary>
    public const string FindingsRead = "Findings.Read";

    /// <summary>The app role that downloads evidence (GET /api/entra/runs/{id}/evidence/{file}).</summary>
    public const string EvidenceRead = "Evidence.Read";

    /// <summary>
    /// The token issuer's authority, e.g. "https://login.microsoftonline.com/{tenantId}/v2.0" (US Government:
    /// login.microsoftonline.us; China: login.chinacloudapi.cn). Its OpenID Connect metadata is read from
    /// "{Authority}/.well-known/openid-configuration" unless <see cref="MetadataAddress"/> says otherwise.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>Where the OpenID Connect metadata is read, when not under <see cref="Authority"/>.</summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>
    /// The audiences a token may be for: the API app registration's client id (v2.0 tokens) and its
    /// Application ID URI (v1.0 tokens, "api://…"). Empty: Entra ID tokens are not accepted.
    /// </summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>
    /// Accepted issuers. Empty: the issuer of the metadata (v2.0 tokens: "https://login.microsoftonline.com/{tenantId}/v2.0");
    /// add "https://sts.windows.net/{tenantId}/" to accept v1.0 tokens.
    /// </summary>
    public List<string> ValidIssuers { get; set; } = [];

    /// <summary>Clock difference tolerated on a token's expiry and not-before times.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the metadata and signing keys are kept before they are read again (a key not found forces a read, at most every minute).</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    public bool Enabled => Audiences.Count > 0;

    /// <summary>The metadata document's address.</summary>
    public Uri? Metadata => MetadataAddress ?? (Authority is null ? null : new Uri(Authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration"));
}
