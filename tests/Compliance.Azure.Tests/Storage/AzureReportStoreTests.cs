using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Compliance.Azure.Storage;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;
using Compliance.Reporting.Tests.Store;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The store contract against Azure Tables and Blobs (Azurite), in tables of its own per test.</summary>
public sealed class AzureReportStoreTests : ReportStoreContract
{
    private readonly AzureStorageOptions _options = new()
    {
        TablePrefix = "T" + Guid.NewGuid().ToString("N")[..12],
        BlobContainer = "t" + Guid.NewGuid().ToString("N")[..12],
        InlineFindingLimit = 30_000,
    };

    protected override Task<IReportStore> CreateStoreAsync()
    {
        var connection = AzuriteConnection.Get();
        _options.ConnectionString = connection;
        return Task.FromResult<IReportStore>(new AzureReportStore(new TableServiceClient(connection), new BlobServiceClient(connection), Options.Create(_options)));
    }

    protected override Task DeleteStoreAsync(IReportStore store) => ((AzureReportStore)store).DeleteAllAsync();

    [Fact]
    public async Task A_large_finding_is_kept_in_a_blob_and_deleted_with_its_run()
    {
        var store = (AzureReportStore)Store;
        await store.CreateRunAsync(StoreTestData.Run("run-1", StoreTestData.T0));
        var big = StoreTestData.Finding("AZ-ENC-001", StoreTestData.Resource(StoreTestData.Prod, "big"), Outcome.Fail) with { Reason = new string('r', 40_000) };
        await store.SaveFindingsAsync("run-1", [big]);

        var container = new BlobServiceClient(_options.ConnectionString).GetBlobContainerClient(_options.BlobContainer);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(prefix: "findings/run-1/"))
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal([$"findings/run-1/{big.FindingId}.json"], blobs);
        await store.DeleteRunsAsync(["run-1"], StoreTestData.T0);
        Assert.False(await container.GetBlobClient(blobs[0]).ExistsAsync());
    }

    [Fact]
    public void Keys_escape_what_tables_do_not_allow_and_stay_distinct()
    {
        var escaped = TableKeys.Escape("/subscriptions/Ab-1_2.x#?\\ é");

        Assert.Equal("~2Fsubscriptions~2FAb-1_2.x~23~3F~5C~20~C3~A9", escaped);
        Assert.NotEqual(TableKeys.Escape("a~2Fb"), TableKeys.Escape("a/b"));
    }
}
