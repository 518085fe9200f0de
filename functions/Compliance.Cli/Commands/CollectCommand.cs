using Compliance.Azure;
using System.CommandLine;
using Compliance.Cli.Output;
using System.Globalization;
using Compliance.Azure.Collectors;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance collect</c>: read a live tenant (Resource Graph, ARM, Microsoft Graph) into a snapshot file.</summary>
internal static class CollectCommand
{
    public static Command Create(CliEnvironment env)
    {
        var live = new LiveOptions();
        var outFile = new Option<string?>("--out") { Description = "The snapshot file to write (.json, or .jsonl for one resource per line). Default: snapshot-<time>.json." };
        var rules = CliOptions.Rules();
        var command = new Command("collect", "Read a live tenant into a snapshot: the resource types the rule packs need, from every subscription the identity can see (or --subscriptions) and the Entra ID directory.")
        {
            outFile, rules,
        };
        foreach (var option in live.All)
        {
            command.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(outFile) ?? DefaultPath(env);
            await CollectAsync(env, live.Read(result), result.GetValue(rules) ?? [], path, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Collects into <paramref name="path"/> (written aside and moved into place when complete) and
    /// prints a summary with every scope that could not be read to standard error.
    /// </summary>
    public static async Task<CollectionResult> CollectAsync(CliEnvironment env, LiveSettings settings, IReadOnlyList<string> rulePaths, string path, CancellationToken cancellationToken)
    {
        var loaded = RulePacks.Load(rulePaths);
        if (RulePacks.Report(loaded, env.Error))
        {
            throw new UsageException("The rule packs have errors (above); fix them before collecting.");
        }

        var compiled = CompiledRuleSet.Compile(loaded.Packs);
        var request = CollectionRequest.ForRules(compiled, settings.Subscriptions, settings.IncludeEntra) with { Format = SnapshotReader.FormatOf(path) };

        var services = new ServiceCollection();
        services.AddSingleton(env.Time);
        services.AddComplianceAzure(null, AzureParts.Collectors);
        services.Configure<AzureConnectionOptions>(o =>
        {
            o.Cloud = settings.Cloud ?? o.Cloud;
            o.TenantId = settings.Tenant ?? Environment.GetEnvironmentVariable("AZURE_TENANT_ID") ?? o.TenantId;
            o.Credential = settings.Credential ?? o.Credential;
        });
        env.ConfigureCollectors?.Invoke(services);
        await using var provider = services.BuildServiceProvider();
        var collector = provider.GetRequiredService<InventoryCollector>();

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var scopesText = settings.Subscriptions is null ? "every visible subscription" : $"{settings.Subscriptions.Count} subscription(s)";
        env.Error.WriteLine($"Collecting {scopesText}{(settings.IncludeEntra ? " and the Entra ID directory" : string.Empty)} from Azure ({collector.Cloud.Name} cloud) for {compiled.Rules.Count} rules…");
        var partial = path + ".partial";
        CollectionResult result;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                var counted = new CountingStream(file);
                var collecting = collector.CollectAsync(request, counted, cancellationToken);
                await ProgressDisplay.RunAsync(env, "Collecting (KB written)", () => (counted.Written / 1024.0, null), () => collecting);
                result = await collecting;
            }

            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        Report(env, result, path);
        return result;
    }

    private static void Report(CliEnvironment env, CollectionResult result, string path)
    {
        var subscriptions = result.Scopes.Count(s => ResourceIds.IsSubscriptionScope(s.Id));
        var directory = result.Scopes.Any(s => s.IsTenant) ? " and the Entra ID directory" : string.Empty;
        var stats = result.Statistics;
        env.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Collected {result.ResourceCount} resources from {subscriptions} subscription(s){directory} into {path} in {result.Elapsed.TotalSeconds:0.0} s " +
            $"({stats.ResourceGraphRequests} Resource Graph, {stats.ArmRequests} ARM, {stats.GraphRequests} Microsoft Graph requests; {stats.Retries} retries)."));
        foreach (var warning in result.Warnings)
        {
            env.Error.WriteLine($"warning: {warning}");
        }

        var failed = result.Scopes.Where(s => s.IsError).ToList();
        foreach (var scope in failed)
        {
            var name = scope.DisplayName is null ? string.Empty : $" ('{scope.DisplayName}')";
            env.Error.WriteLine($"error  {scope.Id}{name}: {scope.Error}");
        }

        if (failed.Count > 0)
        {
            env.Error.WriteLine($"{failed.Count} of {result.Scopes.Count} scope(s) could not be read completely; a scan reports each as a COLLECTION-SCOPE error, never as compliant.");
        }
    }

    private static string DefaultPath(CliEnvironment env) =>
        "snapshot-" + IsoTime.Compact(env.Time.GetUtcNow()) + ".json";

    /// <summary>The snapshot file, counting what is written to it (for the progress display, read from another thread).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Interlocked.Add(ref _written, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
