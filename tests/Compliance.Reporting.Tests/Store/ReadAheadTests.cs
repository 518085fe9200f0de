using Compliance.Reporting.Store;

namespace Compliance.Reporting.Tests.Store;

public sealed class ReadAheadTests
{
    [Fact]
    public async Task Every_item_arrives_in_order()
    {
        var read = new List<int>();
        await foreach (var item in Numbers(10_000).ReadAheadAsync())
        {
            read.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 10_000), read);
    }

    [Fact]
    public async Task A_store_error_reaches_the_consumer_as_it_was_thrown_after_what_was_read_before_it()
    {
        var read = 0;
        var error = await Assert.ThrowsAsync<ReportStoreException>(async () =>
        {
            await foreach (var _ in Failing(1000).ReadAheadAsync())
            {
                read++;
            }
        });

        Assert.Equal("the store is full", error.Message);
        Assert.Equal(1000, read);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_stops_the_reading()
    {
        var produced = 0;
        await foreach (var item in Counted(() => produced++).ReadAheadAsync())
        {
            if (item == 10)
            {
                break;
            }
        }

        // The reader stops a few chunks ahead at most (8 queued of 256, one read, one being filled), not at the end of the stream.
        Assert.InRange(produced, 11, 10 * 256 + 1);
    }

    private static async IAsyncEnumerable<int> Numbers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 1000 == 0)
            {
                await Task.Yield();
            }

            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> Failing(int before)
    {
        await foreach (var item in Numbers(before))
        {
            yield return item;
        }

        throw new ReportStoreException("the store is full");
    }

    private static async IAsyncEnumerable<int> Counted(Action onItem)
    {
        for (var i = 0; i < 1_000_000; i++)
        {
            await Task.Yield();
            onItem();
            yield return i;
        }
    }
}
