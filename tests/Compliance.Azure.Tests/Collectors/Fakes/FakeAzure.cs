using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>
/// A small Kestrel app on 127.0.0.1 that speaks the wire formats of the services the collectors
/// call: Resource Graph (POST providers/Microsoft.ResourceGraph/resources with
/// { subscriptions, query, options { $top, $skipToken, resultFormat } } answered with
/// { totalRecords, count, data, $skipToken, resultTruncated } and the quota headers), ARM lists
/// ({ value, nextLink }) and Microsoft Graph collections ({ value, @odata.nextLink }, $select,
/// $top, $filter). Scripted <see cref="FakeFault"/>s replace answers; every request is counted.
/// </summary>
public sealed partial class FakeAzure : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IReadOnlyList<FakeRow>> _results = new();
    private long _resourceGraphRequests;
    private long _armRequests;
    private long _graphRequests;

    private FakeAzure(WebApplication app, FakeTenant tenant)
    {
        _app = app;
        Tenant = tenant;
    }

    public FakeTenant Tenant { get; }

    public int Port { get; private set; }

    /// <summary>Waited before every answer (the benchmark's network latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Rows per ARM child page (small values exercise nextLink).</summary>
    public int ArmPageSize { get; set; } = 100;

    /// <summary>Graph's page size when the client sends no $top.</summary>
    public int GraphDefaultPageSize { get; set; } = 100;

    /// <summary>The x-ms-user-quota-remaining sent with every Resource Graph answer.</summary>
    public int QuotaRemaining { get; set; } = 14;

    public bool RecordRequests { get; set; } = true;

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>ARM GET answers by path (a policy definition, an assignment list, a resource's diagnostic settings), served as they are.</summary>
    public ConcurrentDictionary<string, string> ArmBodies { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<FakeFault> Faults { get; } = [];

    public long ResourceGraphRequests => Interlocked.Read(ref _resourceGraphRequests);

    public long ArmRequests => Interlocked.Read(ref _armRequests);

    public long GraphRequests => Interlocked.Read(ref _graphRequests);

    public static async Task<FakeAzure> StartAsync(FakeTenant tenant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        var app = builder.Build();
        var fake = new FakeAzure(app, tenant);
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Port = new Uri(address).Port;
        return fake;
    }

    /// <summary>The handler that routes the collectors' https traffic here.</summary>
    public HttpMessageHandler CreateHandler() => new LoopbackRouter(Port);

    public FakeFault AddFault(FakeFault fault)
    {
        lock (Faults)
        {
            Faults.Add(fault);
        }

        return fault;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        string body;
        using (var reader = new StreamReader(http.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var request = new FakeRequest(http.Method, http.Host.Value ?? string.Empty, http.Path.Value ?? "/", http.QueryString.Value ?? string.Empty, body, http.Headers.Authorization.FirstOrDefault());
        Interlocked.Increment(ref request.IsResourceGraph ? ref _resourceGraphRequests : ref request.IsGraph ? ref _graphRequests : ref _armRequests);
        if (RecordRequests)
        {
            Requests.Enqueue(request);
        }

        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
            }

            if (request.Authorization is not { } auth || !auth.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await ErrorAsync(context, 401, "InvalidAuthenticationToken", "The access token is missing.").ConfigureAwait(false);
                return;
            }

            FakeFault? fault;
            lock (Faults)
            {
                fault = Faults.FirstOrDefault(f => f.Match(request) && f.TryTake());
            }

            if (fault is not null)
            {
                if (fault.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                }

                foreach (var (name, value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                if (fault.Body is not null)
                {
                    context.Response.StatusCode = fault.Status;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(fault.Body, context.RequestAborted).ConfigureAwait(false);
                }
                else
                {
                    await ErrorAsync(context, fault.Status, fault.ErrorCode, fault.ErrorMessage).ConfigureAwait(false);
                }

                return;
            }

            if (request.IsResourceGraph)
            {
                await ResourceGraphAsync(context, request).ConfigureAwait(false);
            }
            else if (request.IsGraph)
            {
                await GraphAsync(context, request).ConfigureAwait(false);
            }
            else
            {
                await ArmAsync(context, request).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout): nothing to answer.
        }
    }

    private async Task ResourceGraphAsync(HttpContext context, FakeRequest request)
    {
        if (!Http(context).Query.TryGetValue("api-version", out var version) || version.ToString() is not ("2021-03-01" or "2022-10-01"))
        {
            await ErrorAsync(context, 400, "InvalidApiVersionParameter", "Unsupported api-version.").ConfigureAwait(false);
            return;
        }

        using var document = JsonDocument.Parse(request.Body);
        var root = document.RootElement;
        var subscriptions = root.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetString()!.ToLowerInvariant()).ToList();
        var query = root.GetProperty("query").GetString()!;
        var options = root.GetProperty("options");
        var top = options.TryGetProperty("$top", out var t) ? t.GetInt32() : 100;
        var skip = options.TryGetProperty("$skipToken", out var s) ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(s.GetString()!)), CultureInfo.InvariantCulture) : 0;
        if (!options.TryGetProperty("resultFormat", out var format) || format.GetString() != "objectArray" || top is < 1 or > 1000)
        {
            await ErrorAsync(context, 400, "BadRequest", "Expected resultFormat objectArray and $top between 1 and 1000.").ConfigureAwait(false);
            return;
        }

        var forbidden = subscriptions.FirstOrDefault(Tenant.ForbiddenSubscriptions.Contains);
        if (forbidden is not null)
        {
            await ErrorAsync(context, 403, "AuthorizationFailed", $"The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/subscriptions/{forbidden}'.").ConfigureAwait(false);
            return;
        }

        var match = QueryPattern().Match(query);
        if (!match.Success)
        {
            await ErrorAsync(context, 400, "InvalidQuery", "The fake only understands: table | where type in~ (...) | order by id asc").ConfigureAwait(false);
            return;
        }

        var key = string.Join(",", subscriptions) + "|" + query;
        var rows = _results.GetOrAdd(key, _ =>
        {
            var table = match.Groups["table"].Value;
            var types = TypePattern().Matches(match.Groups["types"].Value).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();
            var wanted = subscriptions.ToHashSet();
            return [.. Tenant.Rows
                .Where(r => r.Table == table && types.Contains(r.Type) && wanted.Contains(r.SubscriptionId))
                .OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase)];
        });

        var page = rows.Skip(skip).Take(top).ToList();
        var next = skip + page.Count < rows.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((skip + page.Count).ToString(CultureInfo.InvariantCulture))) : null;
        context.Response.Headers["x-ms-user-quota-remaining"] = QuotaRemaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ms-user-quota-resets-after"] = "00:00:05";
        context.Response.ContentType = "application/json";
        var output = new MemoryStream();
        output.Write(Encoding.UTF8.GetBytes($"{{\"totalRecords\":{rows.Count},\"count\":{page.Count},\"data\":["));
        for (var i = 0; i < page.Count; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)',');
            }

            output.Write(page[i].Json);
        }

        output.Write(Encoding.UTF8.GetBytes("],\"facets\":[],\"resultTruncated\":\"false\""));
        if (next is not null)
        {
            output.Write(Encoding.UTF8.GetBytes($",\"$skipToken\":\"{next}\""));
        }

        output.Write("}"u8);
        output.Position = 0;
        await output.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ArmAsync(HttpContext context, FakeRequest request)
    {
        var query = Http(context).Query;
        if (!query.ContainsKey("api-version"))
        {
            await ErrorAsync(context, 400, "MissingApiVersionParameter", "The api-version query parameter is required.").ConfigureAwait(false);
            return;
        }

        if (ArmBodies.TryGetValue(request.Path, out var body))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var skip = query.TryGetValue("$skiptoken", out var token) ? int.Parse(token.ToString(), CultureInfo.InvariantCulture) : 0;
        IReadOnlyList<string>? items;
        if (request.Path.Equals("/subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            items = [.. Tenant.Subscriptions.Select(s => new JsonObject
            {
                ["id"] = "/subscriptions/" + s.Id,
                ["subscriptionId"] = s.Id,
                ["tenantId"] = Tenant.TenantId,
                ["displayName"] = s.Name,
                ["state"] = "Enabled",
            }.ToJsonString())];
        }
        else
        {
            var slash = request.Path.LastIndexOf('/');
            items = Tenant.ChildrenOf(request.Path[..slash], request.Path[(slash + 1)..]);
        }

        if (items is null)
        {
            await ErrorAsync(context, 404, "ResourceNotFound", $"The Resource '{request.Path}' was not found.").ConfigureAwait(false);
            return;
        }

        var page = items.Skip(skip).Take(ArmPageSize).ToList();
        string? next = null;
        if (skip + page.Count < items.Count)
        {
            next = $"https://{request.Host}{request.Path}?api-version={query["api-version"]}&$skiptoken={skip + page.Count}";
        }

        await ListAsync(context, "value", page, "nextLink", next).ConfigureAwait(false);
    }

    private async Task GraphAsync(HttpContext context, FakeRequest request)
    {
        if (request.Method == "POST" && request.Path == "/v1.0/directoryObjects/getByIds")
        {
            await GetByIdsAsync(context, request).ConfigureAwait(false);
            return;
        }

        var collection = request.Path["/v1.0/".Length..] switch
        {
            "organization" => "organization",
            "users" => "users",
            "reports/authenticationMethods/userRegistrationDetails" => "userRegistrationDetails",
            "identity/conditionalAccess/policies" => "conditionalAccessPolicies",
            "roleManagement/directory/roleAssignments" => "roleAssignments",
            "roleManagement/directory/roleDefinitions" => "roleDefinitions",
            "applications" => "applications",
            "servicePrincipals" => "servicePrincipals",
            _ => null,
        };
        if (collection is null)
        {
            await ErrorAsync(context, 400, "BadRequest", $"Resource not found for the segment '{request.Path}'.").ConfigureAwait(false);
            return;
        }

        var query = Http(context).Query;
        var top = query.TryGetValue("$top", out var t) ? int.Parse(t.ToString(), CultureInfo.InvariantCulture) : GraphDefaultPageSize;
        if (top is < 1 or > 999 || (collection == "users" && query["$select"].ToString().Contains("signInActivity", StringComparison.Ordinal) && top > 120))
        {
            await ErrorAsync(context, 400, "Request_UnsupportedQuery", "Invalid $top.").ConfigureAwait(false);
            return;
        }

        var skip = query.TryGetValue("$skiptoken", out var token) ? int.Parse(token.ToString(), CultureInfo.InvariantCulture) : 0;
        IEnumerable<string> items = Tenant.Graph.TryGetValue(collection, out var list) ? list : [];
        if (query.TryGetValue("$filter", out var filter) && FilterPattern().Match(filter.ToString()) is { Success: true } f)
        {
            items = items.Where(i => FakeTenant.Parse(i)[f.Groups["field"].Value]?.GetValue<string>() == f.Groups["value"].Value);
        }

        var all = items.ToList();
        var select = query.TryGetValue("$select", out var sel) ? sel.ToString().Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
        var page = all.Skip(skip).Take(top).Select(i => Project(i, select)).ToList();
        string? next = null;
        if (skip + page.Count < all.Count)
        {
            var kept = string.Join("&", query.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}"));
            next = $"https://{request.Host}{request.Path}?{kept}&$skiptoken={skip + page.Count}";
        }

        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        await ListAsync(context, "value", page, "@odata.nextLink", next, $"https://{request.Host}/v1.0/$metadata#{collection}").ConfigureAwait(false);
    }

    /// <summary>POST directoryObjects/getByIds { ids, types }: the users, groups and service principals with those ids, each with its @odata.type.</summary>
    private async Task GetByIdsAsync(HttpContext context, FakeRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        var ids = document.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (ids.Count > 1000)
        {
            await ErrorAsync(context, 400, "Request_BadRequest", "Too many ids: at most 1000.").ConfigureAwait(false);
            return;
        }

        var found = new List<string>();
        foreach (var (collection, odataType) in new[] { ("users", "#microsoft.graph.user"), ("groups", "#microsoft.graph.group"), ("servicePrincipals", "#microsoft.graph.servicePrincipal") })
        {
            foreach (var item in Tenant.Graph.TryGetValue(collection, out var list) ? list : [])
            {
                var node = FakeTenant.Parse(item);
                if (ids.Contains((string?)node["id"] ?? string.Empty))
                {
                    node["@odata.type"] = odataType;
                    found.Add(node.ToJsonString());
                }
            }
        }

        await ListAsync(context, "value", found, "@odata.nextLink", null, $"https://{request.Host}/v1.0/$metadata#directoryObjects").ConfigureAwait(false);
    }

    private static string Project(string item, HashSet<string>? select)
    {
        if (select is null)
        {
            return item;
        }

        var node = FakeTenant.Parse(item);
        foreach (var name in node.Select(p => p.Key).ToList())
        {
            if (name != "id" && !select.Contains(name))
            {
                node.Remove(name);
            }
        }

        return node.ToJsonString();
    }

    private static async Task ListAsync(HttpContext context, string itemsName, IReadOnlyList<string> items, string nextName, string? next, string? odataContext = null)
    {
        var json = new StringBuilder("{");
        if (odataContext is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $"\"@odata.context\":{JsonSerializer.Serialize(odataContext)},");
        }

        json.Append(CultureInfo.InvariantCulture, $"\"{itemsName}\":[").AppendJoin(',', items).Append(']');
        if (next is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"{nextName}\":{JsonSerializer.Serialize(next)}");
        }

        json.Append('}');
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static HttpRequest Http(HttpContext context) => context.Request;

    [GeneratedRegex(@"^(?<table>\w+) \| where type in~ \((?<types>[^)]*)\) \| order by id asc$")]
    private static partial Regex QueryPattern();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^(?<field>\w+) eq '(?<value>[^']*)'$")]
    private static partial Regex FilterPattern();
}
