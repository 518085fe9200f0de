namespace Compliance.Core.Conditions;

/// <summary>
/// Three-valued result of a condition: Kleene logic, so an undecidable leaf only makes the whole
/// undecidable when the other leaves cannot decide it either.
/// </summary>
internal enum Truth : byte
{
    False = 0,
    True = 1,
    Error = 2,
}

internal static class TruthLogic
{
    public static Truth Not(Truth t) => t switch
    {
        Truth.True => Truth.False,
        Truth.False => Truth.True,
        _ => Truth.Error,
    };

    public static Truth FromBool(bool value) => value ? Truth.True : Truth.False;
}
