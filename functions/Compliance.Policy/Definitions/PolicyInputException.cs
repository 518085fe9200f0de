using Compliance.Core.Rules;

namespace Compliance.Policy.Definitions;

/// <summary>Input that is not what the importer reads (a file that is not JSON, not a definition, a parameter file of the wrong shape): every problem, with its location.</summary>
public sealed class PolicyInputException : Exception
{
    public PolicyInputException(IReadOnlyList<RuleDiagnostic> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public PolicyInputException()
        : this([])
    {
    }

    public PolicyInputException(string message)
        : base(message)
    {
        Problems = [];
    }

    public PolicyInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<RuleDiagnostic> Problems { get; } = [];
}
