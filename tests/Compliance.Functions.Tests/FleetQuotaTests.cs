using Azure.Data.Tables;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Storage;
using Compliance.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>The Function App's scope scans take their Resource Graph queries from the bucket all instances share.</summary>
public sealed class FleetQuotaTests
{
    [Fact]
    public async Task Concurrent_scope_scans_spend_the_shared_Resource_Graph_bucket_in_Table_storage()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        Assert.IsType<SharedQuotaGate>(host.Services.GetRequiredService<IQuotaGate>());

        var run = await host.FireTimerAsync();
        var messages = new List<string>();
        while (await host.Queue.Queue.ReceiveMessageAsync() is { Value: { } message })
        {
            messages.Add(message.Body.ToString());
            await host.Queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        // The scopes scanned at once, as the host runs a batch.
        await Task.WhenAll(messages.Select(m => host.Function<Functions.ScopeScan>().RunAsync(m, CancellationToken.None)));

        Assert.True((await host.RunAsync(run.RunId)).IsFinalized);
        var prefix = host.Services.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix;
        var table = host.Services.GetRequiredService<TableServiceClient>().GetTableClient(prefix + "Quota");
        var bucket = (await table.GetEntityAsync<TableEntity>(SharedQuotaGate.PartitionKey, SharedQuotaGate.RowKey)).Value;
        Assert.InRange(bucket.GetDouble("Tokens")!.Value, 0, 15);
        await table.DeleteAsync();
    }
}
