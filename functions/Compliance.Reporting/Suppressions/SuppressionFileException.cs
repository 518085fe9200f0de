namespace Compliance.Reporting.Suppressions;

/// <summary>A suppressions file that is not valid; carries every problem.</summary>
public sealed class SuppressionFileException : Exception
{
    public SuppressionFileException(IReadOnlyList<SuppressionDiagnostic> diagnostics)
        : base(diagnostics.Count == 0 ? "The suppressions file is not valid." : string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public SuppressionFileException()
        : this([])
    {
    }

    public SuppressionFileException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    public SuppressionFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    public IReadOnlyList<SuppressionDiagnostic> Diagnostics { get; }
}
