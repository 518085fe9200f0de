using System.CommandLine;

namespace Compliance.Cli.Commands;

/// <summary>The options of a live collection, shared by <c>collect</c> and <c>scan --live</c>.</summary>
internal sealed class LiveOptions
{
    public Option<string[]> Subscriptions { get; } = new("--subscriptions")
    {
        Description = "Subscription ids to read (space- or comma-separated). Default: every subscription the identity can see.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<bool> NoEntra { get; } = new("--no-entra") { Description = "Do not read the Entra ID directory (Microsoft Graph)." };

    public Option<string?> Cloud { get; } = new("--cloud") { Description = "public (default), usgov or china: login, ARM, Resource Graph and Graph endpoints follow it." };

    public Option<string?> Tenant { get; } = new("--tenant") { Description = "The Entra ID tenant id. Default: AZURE_TENANT_ID, else the credential's home tenant." };

    public Option<string?> Credential { get; } = new("--credential") { Description = "default (DefaultAzureCredential), cli, environment, managedidentity or workloadidentity." };

    public IEnumerable<Option> All => [Subscriptions, NoEntra, Cloud, Tenant, Credential];

    public LiveSettings Read(ParseResult result)
    {
        var subscriptions = result.GetValue(Subscriptions)?
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        return new LiveSettings(
            subscriptions is { Length: > 0 } ? subscriptions : null,
            !result.GetValue(NoEntra),
            result.GetValue(Cloud),
            result.GetValue(Tenant),
            result.GetValue(Credential));
    }
}
