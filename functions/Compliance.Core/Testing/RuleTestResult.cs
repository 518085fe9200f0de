using Compliance.Core.Rules;

namespace Compliance.Core.Testing;

/// <summary>The result of one fixture of one rule.</summary>
public sealed record RuleTestResult(string PackId, string RuleId, string TestName, bool Passed, string Message, SourceLocation Location);
