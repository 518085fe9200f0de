namespace Compliance.Core.Conditions;

/// <summary>Where a condition sits while it is compiled: inside which counts (their arrays and slots) and related wheres.</summary>
internal sealed record CompileScope(CompileScope? Parent, CompileScopeKind Kind, FieldPath? Prefix, string? Name, int Slot)
{
    public static readonly CompileScope Root = new(null, CompileScopeKind.Root, null, null, -1);

    /// <summary>The slot the next enclosed count binds its element to (the number of enclosing counts).</summary>
    public int NextSlot
    {
        get
        {
            var slots = 0;
            for (var s = this; s is not null; s = s.Parent)
            {
                if (s.Kind is CompileScopeKind.Count or CompileScopeKind.ValueCount)
                {
                    slots++;
                }
            }

            return slots;
        }
    }

    /// <summary>The related type whose where encloses this scope, or null outside related.</summary>
    public string? RelatedType
    {
        get
        {
            for (var s = this; s is not null; s = s.Parent)
            {
                if (s.Kind == CompileScopeKind.RelatedRoot)
                {
                    return s.Name ?? string.Empty;
                }
            }

            return null;
        }
    }

    /// <summary>The slot of the enclosing value count named <paramref name="name"/> (any, when null), or null.</summary>
    public int? ValueCountSlot(string? name)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s.Kind == CompileScopeKind.ValueCount && (name is null || string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return s.Slot;
            }
        }

        return null;
    }
}
