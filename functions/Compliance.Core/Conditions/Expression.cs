using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Compliance.Core.Conditions;

/// <summary>
/// A parsed template expression of a rule, as in Azure Policy: <c>[parameters('x')]</c>,
/// <c>[field('path')]</c>, <c>[addDays(field('startDateTime'), 365)]</c>. Arguments are
/// single-quoted strings (<c>''</c> for a quote), integers, or calls.
/// </summary>
internal abstract record Expression
{
    public sealed record Text(string Value) : Expression;

    public sealed record Number(long Value) : Expression;

    public sealed record Call(string Function, IReadOnlyList<Expression> Arguments) : Expression;

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

        public Call ParseCall()
        {
            SkipSpaces();
            var start = _position;
            while (!AtEnd && char.IsAsciiLetter(text[_position]))
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
