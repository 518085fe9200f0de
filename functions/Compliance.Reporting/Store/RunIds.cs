using System.Security.Cryptography;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>Run ids: readable, sortable by time, and safe as a key in every store.</summary>
public static class RunIds
{
    public const int MaxLength = 128;

    /// <summary>"20261127T020000Z-3f9c1a2b": the start time, then random hex so that two runs in one second differ.</summary>
    public static string New(DateTimeOffset startedAt)
    {
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        return IsoTime.Compact(startedAt) + "-" + Convert.ToHexStringLower(random);
    }

    public static bool IsValid(string? runId) =>
        !string.IsNullOrEmpty(runId) && runId.Length <= MaxLength && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    /// <summary>Throws <see cref="ReportStoreException"/> for an id that is not valid.</summary>
    public static string Validate(string? runId) =>
        IsValid(runId)
            ? runId!
            : throw new ReportStoreException($"'{runId}' is not a valid run id: use letters, digits, '.', '_', ':' and '-' (at most {MaxLength} characters).");
}
