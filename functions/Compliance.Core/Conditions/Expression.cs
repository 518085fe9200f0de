using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Compliance.Core.Conditions;

/// <summary>
/// A parsed template expression of a rule, as in Azure Policy: <c>[parameters('x')]</c>,
/// <c>[field('path')]</c>, <c>[addDays(field('startDateTime'), 365)]</c>,
/// <c>[split(field('name'), '/')[0]]</c>, <c>[requestContext().apiVersion]</c>. Arguments are
/// single-quoted strings (<c>''</c> for a quote), integers, or calls; a call may be followed by
/// <c>.property</c> and <c>[index]</c>.
/// </summary>
internal abstract record Expression
{
    public sealed record Text(string Value) : Expression;

    public sealed record Number(long Value) : Expression;

    public sealed record Call(string Function, IReadOnlyList<Expression> Arguments) : Expression;

    /// <summary><c>target.name</c>: a property of an object.</summary>
    public sealed record Member(Expression Target, string Name) : Expression;

    /// <summary><c>target[index]</c>: an element of an array (or a property of an object by name).</summary>
    public sealed record Index(Expression Target, Expression Position) : Expression;

    /// <summary>A value already computed (folded): printed as a literal, or as <c>json('…')</c> when it has no literal form.</summary>
    public sealed record Literal(System.Text.Json.JsonElement Value) : Expression;

    /// <summary>An expression as written in a rule, with its brackets: "[concat(field('name'), '/x')]".</summary>
    public static string Print(Expression expression) => "[" + expression.ToSource() + "]";

    /// <summary>The expression as it would be written inside <c>[…]</c>.</summary>
    public string ToSource()
    {
        var sb = new StringBuilder();
        Write(sb, this);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, Expression expression)
    {
        switch (expression)
        {
            case Text text:
                sb.Append('\'').Append(text.Value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                break;
            case Number number:
                sb.Append(number.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case Literal { Value.ValueKind: System.Text.Json.JsonValueKind.String } literal:
                Write(sb, new Text(literal.Value.GetString()!));
                break;
            case Literal { Value.ValueKind: System.Text.Json.JsonValueKind.Number } literal when literal.Value.TryGetInt64(out var whole):
                sb.Append(whole.ToString(CultureInfo.InvariantCulture));
                break;
            case Literal literal:
                sb.Append("json(");
                Write(sb, new Text(literal.Value.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "null" : literal.Value.GetRawText()));
                sb.Append(')');
                break;
            case Call call:
                sb.Append(call.Function).Append('(');
                for (var i = 0; i < call.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Write(sb, call.Arguments[i]);
                }

                sb.Append(')');
                break;
            case Member member:
                Write(sb, member.Target);
                sb.Append('.').Append(member.Name);
                break;
            case Index index:
                Write(sb, index.Target);
                sb.Append('[');
                Write(sb, index.Position);
                sb.Append(']');
                break;
        }
    }

    /// <summary>Parses the inside of <c>[…]</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Expression? expression, [NotNullWhen(false)] out string? error)
    {
        var parser = new Parser(text);
        try
        {
            expression = parser.ParseCall();
            parser.SkipSpaces();
            if (!parser.AtEnd)
            {
                throw new FormatException($"unexpected '{parser.Rest}' after the expression");
            }

            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            expression = null;
            error = ex.Message;
            return false;
        }
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public string Rest => text[_position..];

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        /// <summary>A call and what follows it: <c>.property</c> and <c>[index]</c>, any number of times.</summary>
        public Expression ParseCall()
        {
            Expression result = ParsePlainCall();
            while (true)
            {
                SkipSpaces();
                if (AtEnd)
                {
                    return result;
                }

                if (text[_position] == '.')
                {
                    _position++;
                    var start = _position;
                    while (!AtEnd && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
                    {
                        _position++;
                    }

                    if (start == _position)
                    {
                        throw new FormatException($"expected a property name after '.' at position {start + 1}");
                    }

                    result = new Member(result, text[start.._position]);
                }
                else if (text[_position] == '[')
                {
                    _position++;
                    var position = ParseArgument();
                    Expect(']');
                    result = new Index(result, position);
                }
                else
                {
                    return result;
                }
            }
        }

        private Call ParsePlainCall()
        {
            SkipSpaces();
            var start = _position;
            while (!AtEnd && (char.IsAsciiLetter(text[_position]) || (_position > start && char.IsAsciiDigit(text[_position]))))
            {
                _position++;
            }

            if (start == _position)
            {
                throw new FormatException($"expected a function name at position {start + 1}");
            }

            var name = text[start.._position];
            Expect('(');
            var arguments = new List<Expression>();
            SkipSpaces();
            if (!AtEnd && text[_position] == ')')
            {
                _position++;
                return new Call(name, arguments);
            }

            while (true)
            {
                arguments.Add(ParseArgument());
                SkipSpaces();
                if (AtEnd)
                {
                    throw new FormatException($"'{name}(' is not closed");
                }

                if (text[_position] == ',')
                {
                    _position++;
                    continue;
                }

                Expect(')');
                return new Call(name, arguments);
            }
        }

        private Expression ParseArgument()
        {
            SkipSpaces();
            if (AtEnd)
            {
                throw new FormatException("an argument is missing");
            }

            var c = text[_position];
            if (c == '\'')
            {
                _position++;
                var value = new StringBuilder();
                while (true)
                {
                    if (AtEnd)
                    {
                        throw new FormatException("a quoted argument is not closed");
                    }

                    if (text[_position] == '\'')
                    {
                        if (_position + 1 < text.Length && text[_position + 1] == '\'')
                        {
                            value.Append('\'');
                            _position += 2;
                            continue;
                        }

                        _position++;
                        return new Text(value.ToString());
                    }

                    value.Append(text[_position++]);
                }
            }

            if (c == '-' || char.IsAsciiDigit(c))
            {
                var start = _position++;
                while (!AtEnd && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                if (!long.TryParse(text.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    throw new FormatException($"'{text[start.._position]}' is not a whole number");
                }

                return new Number(number);
            }

            return ParseCall();
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (AtEnd || text[_position] != c)
            {
                throw new FormatException($"expected '{c}' at position {_position + 1}");
            }

            _position++;
        }
    }
}
