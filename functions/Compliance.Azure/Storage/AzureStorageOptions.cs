namespace Compliance.Azure.Storage;

/// <summary>
/// Where the cloud report store lives (section "Store:Azure"): a connection string (Azurite, local
/// runs), or the account's table and blob endpoints reached with the app's managed identity.
/// </summary>
public sealed class AzureStorageOptions
{
    public const string Section = "Store:Azure";

    /// <summary>A storage connection string; when set, the endpoints below are not used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>"https://{account}.table.core.windows.net", reached with DefaultAzureCredential.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>"https://{account}.blob.core.windows.net", reached with DefaultAzureCredential.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Prefix of the table names (letters and digits): {prefix}Runs, {prefix}Findings, {prefix}States, {prefix}Suppressions.</summary>
    public string TablePrefix { get; set; } = "Compliance";

    /// <summary>The blob container for findings too large for a table entity.</summary>
    public string BlobContainer { get; set; } = "compliance-findings";

    /// <summary>The blob container for each run's evidence folder (findings.csv, controls.csv, controls-summary.csv, manifest.json).</summary>
    public string EvidenceContainer { get; set; } = "compliance-evidence";

    /// <summary>A finding whose JSON is longer than this many characters is kept in a blob (a table property holds 32K UTF-16 characters).</summary>
    public int InlineFindingLimit { get; set; } = 30_000;
}
