using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.AspNetCore.Http;

namespace Compliance.Functions.Tests.Support;

/// <summary>
/// Key Vault's secrets API on loopback: the bearer challenge (401 with WWW-Authenticate) the
/// SecretClient answers with a token, GET /secrets/{name}, 404 SecretNotFound, and a vault that
/// denies the caller (403 Forbidden). Every read is counted.
/// </summary>
internal sealed class FakeKeyVault : IAsyncDisposable
{
    public const string VaultUri = "https://kv-compliance-test.vault.azure.net/";

    private readonly LoopbackServer _server;

    private FakeKeyVault(LoopbackServer server) => _server = server;

    public ConcurrentDictionary<string, string> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, int> Reads { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When true, every authenticated read answers 403 (the identity has no role on the vault).</summary>
    public bool Deny { get; set; }

    public static async Task<FakeKeyVault> StartAsync()
    {
        FakeKeyVault? vault = null;
        var server = await LoopbackServer.StartAsync(context => vault!.HandleAsync(context));
        vault = new FakeKeyVault(server);
        return vault;
    }

    public HttpMessageHandler CreateHandler() => new LoopbackRouter(_server.Port);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111\", resource=\"https://vault.azure.net\"";
            return;
        }

        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method != "GET" || segments.Length is < 2 or > 3 || segments[0] != "secrets")
        {
            await ErrorAsync(context, 400, "BadParameter", "The fake serves GET /secrets/{name} only.");
            return;
        }

        var name = segments[1];
        Reads.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (Deny)
        {
            await ErrorAsync(context, 403, "Forbidden", $"Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action' Resource: '{name}'");
            return;
        }

        if (!Secrets.TryGetValue(name, out var value))
        {
            await ErrorAsync(context, 404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["value"] = value,
            ["id"] = $"{VaultUri}secrets/{name}/0123456789abcdef",
            ["attributes"] = new JsonObject { ["enabled"] = true },
        }.ToJsonString());
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString());
    }
}
