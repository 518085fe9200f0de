namespace Compliance.Cli;

/// <summary>The built-in rule packs and the sample tenant, copied next to the command.</summary>
internal static class BundledPaths
{
    public static string RulesDirectory => Path.Combine(AppContext.BaseDirectory, "rules");

    public static string SampleSnapshot => Path.Combine(AppContext.BaseDirectory, "samples", "northwind-tenant.json");
}
