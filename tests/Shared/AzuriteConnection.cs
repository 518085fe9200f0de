namespace Compliance.Tests.Shared;

/// <summary>
/// The Azurite connection string tests/run.sh exports (with Blob, Queue and Table endpoints).
/// Without it the tests that need it fail with this message: they are never skipped silently.
/// </summary>
internal static class AzuriteConnection
{
    public const string Variable = "COMPLIANCE_TEST_STORAGE";

    public static string Get() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need Azurite (blobs, queues, tables). Run them with tests/run.sh, which installs and starts it, " +
                $"or start Azurite yourself and set {Variable} to its connection string (with BlobEndpoint, QueueEndpoint and TableEndpoint).");
}
