namespace Compliance.Cli.Commands;

/// <summary>What to collect live and how to sign in, as given on the command line.</summary>
internal sealed record LiveSettings(IReadOnlyList<string>? Subscriptions, bool IncludeEntra, string? Cloud, string? Tenant, string? Credential);
