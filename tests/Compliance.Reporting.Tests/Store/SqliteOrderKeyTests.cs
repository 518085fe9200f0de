using System.Globalization;
using Compliance.Reporting.Sqlite;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// A SQLite store's order keys (a run's continuation tokens) keep their form: the resource key,
/// sign bit flipped, as 16 lower-case hex digits, then the finding id's 32.
/// </summary>
public sealed class SqliteOrderKeyTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0x0123456789abcdefL)]
    [InlineData(-0x0123456789abcdefL)]
    public void A_key_is_the_flipped_resource_key_in_hex_then_the_finding_id(long resourceKey)
    {
        var id = Convert.FromHexString("00ff10a0b1c2d3e4f5061728394a5b6c");
        var expected = unchecked((ulong)resourceKey ^ 0x8000000000000000UL).ToString("x16", CultureInfo.InvariantCulture) + "00ff10a0b1c2d3e4f5061728394a5b6c";

        Assert.Equal(expected, SqliteReportStore.OrderKey(resourceKey, id));
        Assert.Equal(expected, SqliteReportStore.OrderKey(resourceKey, "00ff10a0b1c2d3e4f5061728394a5b6c"));
        var (key, bytes) = SqliteReportStore.ParseOrderKey(expected);
        Assert.Equal(resourceKey, key);
        Assert.Equal(id, bytes);
    }

    [Fact]
    public void Keys_sort_as_the_resource_keys_do()
    {
        long[] keys = [long.MinValue, -5, -1, 0, 1, 5, long.MaxValue];
        var id = new byte[16];
        var ordered = keys.Select(k => SqliteReportStore.OrderKey(k, id)).ToList();
        Assert.Equal(ordered.Order(StringComparer.Ordinal), ordered);
    }
}
