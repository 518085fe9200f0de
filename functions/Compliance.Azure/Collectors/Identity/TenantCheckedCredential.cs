using System.Buffers.Text;
using System.Text.Json;
using Azure.Core;

namespace Compliance.Azure.Collectors.Identity;

/// <summary>
/// A credential whose tokens must be for the tenant being scanned. Every Entra ID access token names
/// the tenant it was issued in (the <c>tid</c> claim, Microsoft identity platform "Access token claims
/// reference"). A managed identity only ever gets tokens for its home tenant, whatever tenant is asked
/// for; without this check a run would record the configured tenant while reading another (or being
/// refused with 401s). A token for another tenant is refused here, naming both tenants and the fix.
/// </summary>
internal sealed class TenantCheckedCredential(TokenCredential inner, string expectedTenantId) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        Check(inner.GetToken(requestContext, cancellationToken));

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        Check(await inner.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false));

    /// <summary>The <c>tid</c> claim of a JWT access token, or null when the token is not a JWT or names no tenant.</summary>
    public static string? TenantOf(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("tid", out var tid) && tid.ValueKind == JsonValueKind.String
                ? tid.GetString()
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private AccessToken Check(AccessToken token)
    {
        var tenant = TenantOf(token.Token);
        if (tenant is not null && !string.Equals(tenant, expectedTenantId, StringComparison.OrdinalIgnoreCase))
        {
            throw new WrongTenantException(
                $"the scanner's identity signed in to tenant {tenant}, not to the tenant to scan, {expectedTenantId} (Collectors:Azure:TenantId). " +
                "A managed identity only gets tokens for its own tenant: scan that tenant, or scan another one through a multitenant app registration " +
                "that trusts the managed identity (Collectors:Azure:Credential 'federated' with the app's client id in Collectors:Azure:ClientId; README, 'Scanning another tenant')");
        }

        return token;
    }
}
