using System.Globalization;
using System.Text;

namespace Lan.Actors.Hocon;

// Character-level scanning: whitespace, comments, strings, numbers. One pass, no backtracking beyond a few characters.
internal sealed partial class HoconParser
{
    private readonly string _text;
    private readonly string _originName;
    private int _position;
    private int _line = 1;

    private bool AtEnd => _position >= _text.Length;

    private char Current => _position < _text.Length ? _text[_position] : '\0';

    private ConfigOrigin Here => new(_originName, _line);

    private char PeekAt(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    /// <summary>Characters the spec reserves: they end an unquoted string and must be quoted to appear in one.</summary>
    public static bool IsForbiddenInUnquoted(char c) => c switch
    {
        '$' or '"' or '{' or '}' or '[' or ']' or ':' or '=' or ',' or '+' or '#' or '`' or '^' or '?' or '!' or '@' or '*' or '&' or '\\' => true,
        '\n' => true,
        _ => IsInlineSpace(c),
    };

    // Stryker disable once Equality : equivalent for >=: 127 is DEL, which is not white space either
    private static bool IsInlineSpace(char c) => c is ' ' or '\t' or '\r' or '\f' or '\v' or '\uFEFF' || (c > 127 && char.IsWhiteSpace(c));

    private bool AtComment => Current == '#' || (Current == '/' && PeekAt(1) == '/');

    private bool AtUnquotedText => !AtEnd && !IsForbiddenInUnquoted(Current) && !AtComment;

    private void Advance()
    {
        if (_text[_position] == '\n')
        {
            _line++;
        }

        _position++;
    }

    private void SkipComment()
    {
        // Comments are most of reference.conf: let the vectorised search find the end of the line.
        var newline = _text.AsSpan(_position).IndexOf('\n');
        // Stryker disable once Equality : equivalent for <=: the search starts at the comment's own '#' or '/', so a newline is never at 0
        _position = newline < 0 ? _text.Length : _position + newline;
    }

    /// <summary>Skips spaces, comments and newlines; reports whether a newline was crossed.</summary>
    private bool SkipSpaceAndNewlines()
    {
        var crossedNewline = false;
        while (!AtEnd)
        {
            if (Current == '\n')
            {
                crossedNewline = true;
                Advance();
            }
            else if (IsInlineSpace(Current))
            {
                _position++;
            }
            else if (AtComment)
            {
                SkipComment();
            }
            else
            {
                break;
            }
        }

        return crossedNewline;
    }

    private string ReadInlineSpace()
    {
        var start = _position;
        while (!AtEnd && IsInlineSpace(Current))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private bool AtTripleQuote => Current == '"' && PeekAt(1) == '"' && PeekAt(2) == '"';

    /// <summary>A JSON string at <c>"</c>; the fast path slices the text when there are no escapes.</summary>
    private string ReadQuotedString()
    {
        var startLine = _line;
        _position++;
        var start = _position;
        while (!AtEnd && _text[_position] is not ('"' or '\\' or '\n'))
        {
            _position++;
        }

        if (Current == '"')
        {
            var plain = _text[start.._position];
            _position++;
            return plain;
        }

        var text = new StringBuilder().Append(_text, start, _position - start);
        while (true)
        {
            if (AtEnd || Current == '\n')
            {
                throw Error($"the string opened on line {startLine} is not closed; add the closing \" (use \"\"\" for multi-line text)");
            }

            var c = Current;
            if (c == '"')
            {
                _position++;
                return text.ToString();
            }

            if (c != '\\')
            {
                text.Append(c);
                _position++;
                continue;
            }

            _position++;
            var escaped = Current;
            _position++;
            switch (escaped)
            {
                case '"': text.Append('"'); break;
                case '\\': text.Append('\\'); break;
                case '/': text.Append('/'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !ushort.TryParse(_text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("\\u must be followed by four hex digits, e.g. \\u00e9");
                    }

                    text.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw Error($"unknown escape '\\{escaped}' in a string; write \\\\ for a backslash");
            }
        }
    }

    /// <summary><c>"""...""""</c>: raw text, newlines kept; extra quotes before the end belong to the text.</summary>
    private string ReadTripleQuotedString()
    {
        var startLine = _line;
        _position += 3;
        var start = _position;
        while (true)
        {
            if (AtEnd)
            {
                throw Error($"the \"\"\" string opened on line {startLine} is not closed");
            }

            if (AtTripleQuote && PeekAt(3) != '"')
            {
                var text = _text[start.._position];
                _position += 3;
                return text;
            }

            Advance();
        }
    }

    private string ReadUnquoted()
    {
        var start = _position;
        while (AtUnquotedText)
        {
            _position++;
        }

        return _text[start.._position];
    }

    /// <summary>
    /// The longest JSON number at the cursor, or null (cursor unchanged). Text glued to it
    /// (<c>10s</c>, <c>1.0.0</c>) is read by the caller and turns the whole into a string.
    /// </summary>
    private string? TryReadNumber()
    {
        var i = _position;
        if (Char(i) == '-')
        {
            i++;
        }

        var digitsStart = i;
        while (char.IsAsciiDigit(Char(i)))
        {
            i++;
        }

        if (i == digitsStart || (Char(digitsStart) == '0' && i - digitsStart > 1))
        {
            return null;
        }

        if (Char(i) == '.' && char.IsAsciiDigit(Char(i + 1)))
        {
            i += 2;
            while (char.IsAsciiDigit(Char(i)))
            {
                i++;
            }
        }

        if (Char(i) is 'e' or 'E')
        {
            var exponent = i + 1;
            if (Char(exponent) is '+' or '-')
            {
                exponent++;
            }

            if (char.IsAsciiDigit(Char(exponent)))
            {
                i = exponent;
                while (char.IsAsciiDigit(Char(i)))
                {
                    i++;
                }
            }
        }

        var number = _text[_position..i];
        _position = i;
        return number;

        char Char(int index) => index < _text.Length ? _text[index] : '\0';
    }

    private ConfigException Error(string problem, string? path = null) => new(Here, path, problem);

    private static string Show(char c) => c switch
    {
        '\0' => "the end of the text",
        '\n' => "a newline",
        _ => $"'{c}'",
    };
}
