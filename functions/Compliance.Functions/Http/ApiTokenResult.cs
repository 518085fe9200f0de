namespace Compliance.Functions.Http;

/// <summary>The outcome of checking a request's bearer token: allowed (with who it is), or the status and reason of the refusal.</summary>
/// <param name="Status">200 allowed; 401 no valid token; 403 a valid token without the role; 404 Entra ID tokens not enabled; 503 the issuer's metadata cannot be read.</param>
/// <param name="Error">The OAuth error code for WWW-Authenticate (invalid_token, insufficient_scope), when refused.</param>
/// <param name="Message">Why, in words (never the token).</param>
/// <param name="Caller">Who the token is for (its oid or sub claim and its app id), when allowed.</param>
public sealed record ApiTokenResult(int Status, string? Error, string Message, string? Caller = null)
{
    public bool Allowed => Status == 200;
}
