using System.CommandLine;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Compliance.Azure;
using Compliance.Azure.Collectors;
using Compliance.Azure.Collectors.Policy;
using Compliance.Policy.Aliases;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using Compliance.Policy.Import;
using Compliance.Policy.Mapping;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance policy import</c> (definitions, initiatives, files, folders, or a tenant's
/// assignments with <c>--live</c>) and <c>compliance policy aliases refresh</c>. The conversion is
/// Compliance.Policy's; this is its command line.
/// </summary>
internal static class PolicyCommands
{
    public static Command Create(CliEnvironment env)
    {
        var policy = new Command("policy", "Run your Azure Policy: import definitions and initiatives as a rule pack, refresh the alias catalog.");
        policy.Add(Import(env));
        var aliases = new Command("aliases", "The alias catalog the import reads Azure Policy aliases with.");
        aliases.Add(Refresh(env));
        policy.Add(aliases);
        return policy;
    }

    private static Command Import(CliEnvironment env)
    {
        var paths = new Argument<string[]>("path") { Description = "Policy definition or initiative files (az policy … show, ARM, or azurepolicy.rules.json), arrays of them, or folders.", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out") { Description = "The rule pack to write.", Required = true };
        var aliases = new Option<string?>("--aliases") { Description = "An alias catalog (from 'compliance policy aliases refresh'). Default: the bundled one." };
        var parameters = new Option<string[]>("--param") { Description = "A parameter value, NAME=VALUE, for every imported definition (and initiative) that declares NAME; arrays and objects as JSON. Repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var parameterFiles = new Option<string[]>("--params") { Description = "Parameter values from a file: a policy assignment (az policy assignment show) or an ARM parameters file. Repeatable; --param wins.", Arity = ArgumentArity.ZeroOrMore };
        var allowPartial = new Option<bool>("--allow-partial") { Description = "Exit 0 even when some definitions could not be converted (they are listed)." };
        var severities = new Option<string?>("--severities") { Description = "A severity map { \"default\", \"definitions\", \"categories\" } added to the bundled one." };
        var packId = new Option<string?>("--pack-id") { Description = "The pack id (lower-case words and dashes). Default: the initiative's name, or azure-policy." };
        var live = new Option<bool>("--live") { Description = "Read the definitions and initiatives assigned in a tenant (with the assignments' values) from Azure Resource Manager instead of files." };
        var subscription = new Option<string[]>("--subscription") { Description = "With --live: the subscriptions whose assignments to read (repeatable). Default: every subscription the identity can see.", Arity = ArgumentArity.ZeroOrMore };
        var managementGroup = new Option<string?>("--management-group") { Description = "With --live: a management group whose assignments to read." };
        var connection = new ConnectionOptions();
        var command = new Command("import", "Convert Azure Policy definitions and initiatives into one rule pack that 'compliance scan --rules FILE' runs. Exit 0: everything converted; 1: some definitions could not be (unless --allow-partial); 2: bad input.")
        {
            paths, output, aliases, parameters, parameterFiles, allowPartial, severities, packId, live, subscription, managementGroup,
        };
        foreach (var option in connection.All)
        {
            command.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var inputs = result.GetValue(paths) ?? [];
            var isLive = result.GetValue(live);
            var subscriptions = (result.GetValue(subscription) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var group = result.GetValue(managementGroup);
            if (isLive == (inputs.Length > 0))
            {
                throw new UsageException(isLive
                    ? "give either files and folders to import, or --live, not both"
                    : "give the definition and initiative files or folders to import (or --live to read a tenant's assignments)");
            }

            if (!isLive && (subscriptions.Count > 0 || group is not null))
            {
                throw new UsageException("--subscription and --management-group go with --live");
            }

            if (subscriptions.Count > 0 && group is not null)
            {
                throw new UsageException("give --subscription or --management-group, not both");
            }

            var options = new ImportOptions
            {
                Aliases = LoadAliases(result.GetValue(aliases)),
                Parameters = Values(result.GetValue(parameterFiles), result.GetValue(parameters)),
                Severities = LoadSeverities(result.GetValue(severities)),
                PackId = result.GetValue(packId),
            };

            ImportResult import;
            if (isLive)
            {
                var (set, assignments) = await ReadLiveAsync(env, connection.Read(result), subscriptions, group, cancellationToken);
                import = PolicyImporter.Import(set, options with { Assignments = assignments });
            }
            else
            {
                import = PolicyImporter.Import(DefinitionReader.Read(inputs), options);
            }

            var path = result.GetValue(output)!;
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await File.WriteAllBytesAsync(path, import.PackBytes(), cancellationToken);
            ImportSummary.Write(import, path, env.Out);
            var unsupported = import.Unsupported.Count();
            if (unsupported > 0)
            {
                env.Out.WriteLine(result.GetValue(allowPartial)
                    ? $"{unsupported} definition(s) were not converted (--allow-partial: exit 0); the pack holds the others."
                    : $"{unsupported} definition(s) were not converted; the pack holds the others. Use --allow-partial to accept that.");
            }

            return unsupported == 0 || result.GetValue(allowPartial) ? ExitCodes.Success : ExitCodes.Findings;
        });
        return command;
    }

    private static Command Refresh(CliEnvironment env)
    {
        var output = new Option<string>("--out") { Description = "The catalog to write (gzip-compressed when it ends with .gz). Import with it: compliance policy import --aliases FILE.", Required = true };
        var connection = new ConnectionOptions();
        var command = new Command("refresh", "Rebuild the alias catalog from a live tenant (GET /providers?$expand=resourceTypes/aliases).") { output };
        foreach (var option in connection.All)
        {
            command.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            await using var provider = Services(env, connection.Read(result));
            var reader = provider.GetRequiredService<AzurePolicyReader>();
            env.Error.WriteLine($"Reading the resource providers' aliases from Azure ({reader.Cloud.Name} cloud)…");
            var entries = await reader.ReadAliasesAsync(cancellationToken);
            if (entries.Count == 0)
            {
                throw new UsageException("Azure Resource Manager returned no aliases; the catalog was not written.");
            }

            var date = env.Time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var catalog = AliasCatalog.FromEntries($"{reader.Cloud.ResourceManager.Host} (GET /providers?$expand=resourceTypes/aliases)", date, entries);
            var path = result.GetValue(output)!;
            await using (var file = File.Create(path))
            {
                Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Optimal) : file;
                await using (stream)
                {
                    await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                    catalog.Write(writer);
                }
            }

            env.Out.WriteLine($"Wrote {catalog.AliasCount} aliases of {catalog.Types.Count()} resource types to {path} (dated {date}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<(DefinitionSet Set, IReadOnlyList<PolicyAssignment> Assignments)> ReadLiveAsync(CliEnvironment env, LiveSettings settings, IReadOnlyList<string> subscriptions, string? managementGroup, CancellationToken cancellationToken)
    {
        await using var provider = Services(env, settings);
        var reader = provider.GetRequiredService<AzurePolicyReader>();
        IReadOnlyList<string> scopes;
        if (managementGroup is not null)
        {
            scopes = [AzurePolicyReader.ManagementGroupScope(managementGroup)];
        }
        else if (subscriptions.Count > 0)
        {
            scopes = [.. subscriptions.Select(AzurePolicyReader.SubscriptionScope)];
        }
        else
        {
            var visible = await provider.GetRequiredService<InventoryCollector>().ListSubscriptionsAsync(cancellationToken);
            scopes = [.. visible.Select(s => AzurePolicyReader.SubscriptionScope(s.SubscriptionId))];
        }

        env.Error.WriteLine($"Reading the policy assignments of {scopes.Count} scope(s) from Azure ({reader.Cloud.Name} cloud)…");
        var estate = await reader.ReadAssignedAsync(scopes, cancellationToken);
        env.Error.WriteLine($"{estate.Assignments.Count} assignment(s), {estate.Documents.Count} definition(s) and initiative(s).");
        var set = DefinitionReader.ReadDocuments(estate.Documents.Select(d => (d.Id, d.Json)));
        var assignments = estate.Assignments.Select(a => new PolicyAssignment(a.Id, a.DisplayName, a.DefinitionId, a.Parameters)).ToList();
        return (set, assignments);
    }

    private static ServiceProvider Services(CliEnvironment env, LiveSettings settings)
    {
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
        return services.BuildServiceProvider();
    }

    private static AliasCatalog LoadAliases(string? path)
    {
        if (path is null)
        {
            return AliasCatalog.Bundled;
        }

        using var stream = File.OpenRead(path);
        try
        {
            return AliasCatalog.Load(stream, path);
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static SeverityMap LoadSeverities(string? path)
    {
        var map = SeverityMap.Bundled();
        if (path is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                map.Add(document.RootElement, path);
            }
            catch (JsonException ex)
            {
                throw new UsageException($"{path}: not JSON ({ex.Message})");
            }
            catch (FormatException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

        return map;
    }

    /// <summary>--params files first, then --param (which wins).</summary>
    private static Dictionary<string, SuppliedValue> Values(string[]? files, string[]? parameters)
    {
        var values = new Dictionary<string, SuppliedValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files ?? [])
        {
            foreach (var (name, value) in ParameterFile.Read(file))
            {
                values[name] = value;
            }
        }

        foreach (var (name, text) in CliOptions.ParseParameters(parameters))
        {
            values[name] = new SuppliedValue(null, text, $"--param {name}");
        }

        return values;
    }

    /// <summary>How to sign in: the live options of collect, without what to collect.</summary>
    private sealed class ConnectionOptions
    {
        private readonly LiveOptions _live = new();

        public IEnumerable<Option> All => [_live.Cloud, _live.Tenant, _live.Credential];

        public LiveSettings Read(ParseResult result) =>
            new(null, false, result.GetValue(_live.Cloud), result.GetValue(_live.Tenant), result.GetValue(_live.Credential));
    }
}
