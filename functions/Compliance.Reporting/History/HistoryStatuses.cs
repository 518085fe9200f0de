using System.Diagnostics.CodeAnalysis;

namespace Compliance.Reporting.History;

/// <summary>The wire names of <see cref="HistoryStatus"/> ("new", "persisting", "resolved", "regressed").</summary>
public static class HistoryStatuses
{
    public static IReadOnlyList<string> Names { get; } = ["new", "persisting", "resolved", "regressed"];

    public static string ToWire(this HistoryStatus status) => status switch
    {
        HistoryStatus.New => "new",
        HistoryStatus.Persisting => "persisting",
        HistoryStatus.Resolved => "resolved",
        HistoryStatus.Regressed => "regressed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string ToWire(this HistoryStatus? status) => status?.ToWire() ?? string.Empty;

    public static bool TryParse(string? text, [NotNullWhen(true)] out HistoryStatus? status)
    {
        status = text?.Trim().ToLowerInvariant() switch
        {
            "new" => HistoryStatus.New,
            "persisting" => HistoryStatus.Persisting,
            "resolved" => HistoryStatus.Resolved,
            "regressed" => HistoryStatus.Regressed,
            _ => null,
        };
        return status is not null;
    }
}
