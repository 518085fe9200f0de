using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// A compiled field path: either from the current root (slot -1) or relative to the array element that
/// an enclosing count has bound (slot ≥ 0), as Azure Policy reads <c>securityRules[*].properties.access</c>
/// inside <c>count.where</c>.
/// </summary>
internal sealed class FieldRef(FieldPath written, int slot, PathSegment[] relative)
{
    public FieldPath Written { get; } = written;

    public int Slot { get; } = slot;

    public PathSegment[] Relative { get; } = relative;

    public bool HasWildcard { get; } = relative.Any(s => s.Kind == PathSegmentKind.Wildcard);

    public JsonElement Base(EvaluationContext context) =>
        Slot < 0 ? context.Root : context.Bindings[Slot].Value;

    public string? BasePath(EvaluationContext context) =>
        Slot < 0 ? null : context.Bindings[Slot].Path;

    public JsonElement ResolveSingle(EvaluationContext context) =>
        PathResolver.ResolveSingle(Base(context), Relative);

    /// <summary>The concrete path of a single-valued reference, for evidence.</summary>
    public string ConcretePath(EvaluationContext context)
    {
        var basePath = BasePath(context);
        return basePath is null ? Written.Text : FieldPath.Render(Relative, basePath);
    }

    public void ResolveMany(EvaluationContext context, bool withPaths, List<ResolvedValue> results, ref string? error, ref string? notIterable) =>
        PathResolver.ResolveMany(Base(context), Relative, withPaths ? BasePath(context) ?? string.Empty : null, withPaths, results, ref error, ref notIterable);
}
