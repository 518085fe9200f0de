using Compliance.Azure;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.Extensions.DependencyInjection;

// Collector benchmark: a fake Azure (Resource Graph, ARM, Microsoft Graph) with a fixed latency per
// request runs in its own process; the collector runs in another, so its peak memory is its own.
// Usage: dotnet run -c Release --project tests/Compliance.Collectors.Benchmarks [-- --latency-ms 50]
var mode = args.FirstOrDefault() ?? "run";
return mode switch
{
    "serve" => await Serve(Arg(args, "--subscriptions", 50), Arg(args, "--per-subscription", 2000), Arg(args, "--users", 5000), Arg(args, "--latency-ms", 50)),
    "collect" => await Collect(Arg(args, "--port", 0)),
    _ => await Run(Arg(args, "--latency-ms", 50)),
};

static int Arg(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task<int> Run(int latencyMs)
{
    const int PerSubscription = 2000;
    const int Users = 5000;
    const int BatchSize = 25;
    Console.WriteLine($"Collector benchmark: fake Azure on 127.0.0.1 with {latencyMs} ms latency per request; {PerSubscription} Resource Graph rows per subscription, {Users} user registration records; default collector options (subscription batches of {BatchSize}, 4 Resource Graph / 8 ARM requests in flight).");
    Console.WriteLine();
    foreach (var subscriptions in new[] { 5, 50 })
    {
        var tenant = FakeTenant.Generate(subscriptions, PerSubscription, Users);
        var rowsByTable = tenant.Rows.GroupBy(r => r.Table).ToDictionary(g => g.Key, g => g.ToList());
        var batches = tenant.Subscriptions.Select(s => s.Id).Chunk(BatchSize).Select(b => b.ToHashSet()).ToList();
        var lowerBound = rowsByTable.Values.Sum(rows => Math.Max(1, (rows.Count + 999) / 1000));
        var perBatch = rowsByTable.Values.Sum(rows => batches.Sum(b => Math.Max(1, (rows.Count(r => b.Contains(r.SubscriptionId)) + 999) / 1000)));
        var target = lowerBound + (rowsByTable.Count * batches.Count);
        var parents = tenant.Rows.Count(r => r.Type is "microsoft.sql/servers" or "microsoft.sql/servers/databases");

        using var server = Start("serve", "--subscriptions", subscriptions.ToString(CultureInfo.InvariantCulture), "--per-subscription", PerSubscription.ToString(CultureInfo.InvariantCulture), "--users", Users.ToString(CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture));
        var port = (await server.StandardOutput.ReadLineAsync())!.Split(' ')[1];
        using var collector = Start("collect", "--port", port);
        var output = await collector.StandardOutput.ReadToEndAsync();
        await collector.WaitForExitAsync();
        server.StandardInput.Close();
        await server.WaitForExitAsync();

        var line = output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        using var result = JsonDocument.Parse(line["RESULT ".Length..]);
        var r = result.RootElement;
        double Get(string name) => r.GetProperty(name).GetDouble();
        var graphRequests = Get("resourceGraph");
        var seconds = Get("seconds");
        Console.WriteLine($"{subscriptions} subscriptions, {tenant.ResourceCount:N0} resources ({string.Join(", ", rowsByTable.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value.Count:N0}"))}):");
        Console.WriteLine($"  collected       {Get("resources"):N0} resources in the snapshot ({Get("snapshotMb"):0.0} MB), scopes ok {Get("scopesOk")}/{Get("scopes")}");
        Console.WriteLine($"  requests        Resource Graph {graphRequests:N0}, ARM {Get("arm"):N0}, Microsoft Graph {Get("graph"):N0}; retries {Get("retries")}");
        Console.WriteLine($"  Resource Graph  lower bound sum(ceil(rows/1000)) per table = {lowerBound}; per batch = {perBatch}; target (+1 per table per subscription batch) = {target}; ratio to target {graphRequests / target:0.00}");
        Console.WriteLine($"  ARM             {parents} SQL servers and databases (children Resource Graph does not index) + 1 subscription list = {parents + 1}; ratio {Get("arm") / (parents + 1):0.00}");
        Console.WriteLine($"  wall time       {seconds:0.00} s ({Get("resources") / seconds:N0} resources/s; {Get("requests") * latencyMs / 1000.0:0.0} s of latency if sent one by one)");
        Console.WriteLine($"  peak memory     working set {Get("peakWorkingSetMb"):0} MB, managed heap {Get("peakManagedMb"):0} MB, allocated {Get("allocatedMb"):N0} MB");
        Console.WriteLine();
    }

    return 0;
}

static Process Start(params string[] arguments)
{
    var self = Environment.ProcessPath!;
    var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        info.ArgumentList.Add(typeof(FakeAzure).Assembly.Location);
    }

    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    return Process.Start(info)!;
}

static async Task<int> Serve(int subscriptions, int perSubscription, int users, int latencyMs)
{
    var tenant = FakeTenant.Generate(subscriptions, perSubscription, users);
    await using var fake = await FakeAzure.StartAsync(tenant);
    fake.Latency = TimeSpan.FromMilliseconds(latencyMs);
    fake.RecordRequests = false;
    Console.WriteLine($"PORT {fake.Port}");
    await Console.In.ReadToEndAsync();
    return 0;
}

static async Task<int> Collect(int port)
{
    var services = new ServiceCollection();
    services.AddComplianceAzure(null, AzureParts.Collectors);
    services.AddSingleton<TokenCredential>(new FakeCredential());
    services.AddSingleton(new CollectorTransport(new LoopbackRouter(port)));
    await using var provider = services.BuildServiceProvider();
    var collector = provider.GetRequiredService<InventoryCollector>();
    var request = new CollectionRequest
    {
        // The bundled packs' types (see CollectThenScanTests).
        ResourceTypes =
        [
            "Microsoft.Resources/subscriptions", "Microsoft.Authorization/roleAssignments", "Microsoft.Storage/storageAccounts",
            "Microsoft.Network/networkSecurityGroups", "Microsoft.Compute/virtualMachines", "microsoft.compute/virtualmachines/patchassessmentresults",
            "Microsoft.Sql/servers", "Microsoft.Sql/servers/databases", "Microsoft.Sql/servers/firewallRules",
            "Microsoft.Sql/servers/databases/transparentDataEncryption", "microsoft.graph/organization",
            "microsoft.graph/conditionalAccessPolicies", "microsoft.graph/userRegistrationDetails",
        ],
    };

    long peakManaged = 0;
    using var sampler = new Timer(_ => Interlocked.Exchange(ref peakManaged, Math.Max(Interlocked.Read(ref peakManaged), GC.GetTotalMemory(false))), null, 0, 20);
    var path = Path.Combine(Path.GetTempPath(), $"collector-benchmark-{Environment.ProcessId}.json");
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    CollectionResult result;
    await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
    {
        result = await collector.CollectAsync(request, file, CancellationToken.None);
    }

    var size = new FileInfo(path).Length;
    File.Delete(path);
    var stats = result.Statistics;
    var figures = new Dictionary<string, double>
    {
        ["resources"] = result.ResourceCount,
        ["scopes"] = result.Scopes.Count,
        ["scopesOk"] = result.Scopes.Count(s => !s.IsError),
        ["resourceGraph"] = stats.ResourceGraphRequests,
        ["arm"] = stats.ArmRequests,
        ["graph"] = stats.GraphRequests,
        ["requests"] = stats.TotalRequests,
        ["retries"] = stats.Retries,
        ["seconds"] = result.Elapsed.TotalSeconds,
        ["snapshotMb"] = size / 1048576.0,
        ["peakWorkingSetMb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
        ["peakManagedMb"] = Interlocked.Read(ref peakManaged) / 1048576.0,
        ["allocatedMb"] = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0,
    };
    foreach (var scope in result.Scopes.Where(s => s.IsError))
    {
        Console.Error.WriteLine($"error {scope.Id}: {scope.Error}");
    }

    Console.WriteLine("RESULT " + JsonSerializer.Serialize(figures));
    return 0;
}
