using Compliance.Reporting.Store;
using Compliance.Reporting.Sqlite;
using Microsoft.Extensions.Options;

namespace Compliance.Cli.Tests;

/// <summary>The local store a test manipulates directly (what a killed scan or an administrator leaves in it).</summary>
internal static class TestStores
{
    public static IReportStore Open(string path) => new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = path }));
}
