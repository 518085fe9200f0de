namespace Compliance.Core.Conditions;

internal enum CompileScopeKind
{
    Root,
    Count,
    ValueCount,
    RelatedRoot,
}
