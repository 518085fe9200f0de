using System.Runtime.CompilerServices;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// A JSON object as plain values by property name, in file order: a string, a boolean (boxed), a
/// nested <see cref="JsonFields"/>, a list, or — from the full reader — the token itself when it is
/// of another kind. Knows the line of its opening brace. Objects of a suppressions file have a
/// handful of properties, so a name is found by looking through them.
/// </summary>
internal sealed class JsonFields(int line)
{
    private readonly List<KeyValuePair<string, object>> _fields = new(8);

    public int Line { get; } = line;

    public bool Has(string name) => IndexOf(name) >= 0;

    public object? this[string name] => IndexOf(name) is var i and >= 0 ? _fields[i].Value : null;

    /// <summary>The property's text when it is a string, else null.</summary>
    public string? Text(string name) => this[name] as string;

    /// <summary>Adds a property; false when the object already has one of that name.</summary>
    public bool TryAdd(string name, object value)
    {
        if (Has(name))
        {
            return false;
        }

        _fields.Add(new KeyValuePair<string, object>(name, value));
        return true;
    }

    // Asked about ten times for each of tens of thousands of items, once per process: compiled optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int IndexOf(string name)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
