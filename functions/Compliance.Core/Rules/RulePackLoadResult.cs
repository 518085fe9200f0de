namespace Compliance.Core.Rules;

/// <summary>The packs that loaded and every problem found, in file order.</summary>
public sealed record RulePackLoadResult(IReadOnlyList<RulePack> Packs, IReadOnlyList<RuleDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>The packs, or an exception that carries every diagnostic.</summary>
    public IReadOnlyList<RulePack> PacksOrThrow() =>
        HasErrors ? throw new RuleValidationException(Diagnostics) : Packs;
}
