using System.Text;

namespace Lan.Actors.Hocon;

/// <summary>
/// Reads one HOCON document into an unresolved tree: objects are merged as they are read,
/// substitutions are left in place for <see cref="SubstitutionResolver"/>.
/// </summary>
internal sealed partial class HoconParser
{
    // Deep enough for any real configuration, shallow enough that hostile input cannot overflow the stack.
    private const int MaxDepth = 200;

    private readonly string? _directory;
    private readonly string[] _includePrefix;
    private readonly IncludeLoader _includes;
    private readonly StringBuilder _scratch = new();
    private int _depth;

    private HoconParser(string text, string originName, string? directory, string[] includePrefix, IncludeLoader includes)
    {
        _text = text;
        _originName = originName;
        _directory = directory;
        _includePrefix = includePrefix;
        _includes = includes;
    }

    /// <summary>Parses a whole document whose root sits at <paramref name="includePrefix"/> of the final tree.</summary>
    /// <param name="text">The HOCON text.</param>
    /// <param name="originName">The file name (or "&lt;string&gt;") used in error messages.</param>
    /// <param name="directory">Where relative includes are looked up; null means the working directory.</param>
    /// <param name="includePrefix">The path of the object that includes this document; empty for a top-level one.</param>
    /// <param name="includes">Loads included files and detects include cycles.</param>
    public static HoconObject ParseDocument(string text, string originName, string? directory, string[] includePrefix, IncludeLoader includes) =>
        new HoconParser(text, originName, directory, includePrefix, includes).ParseRoot();

    private HoconObject ParseRoot()
    {
        SkipSpaceAndNewlines();
        if (Current == '[')
        {
            throw Error("the root of a configuration must be an object, not a list");
        }

        if (Current != '{')
        {
            return ParseFields(_includePrefix, braced: false, Here);
        }

        var root = ParseBracedObject(_includePrefix);
        SkipSpaceAndNewlines();
        return AtEnd ? root : throw Error($"unexpected {Show(Current)} after the '}}' that closes the root object");
    }

    private HoconObject ParseBracedObject(string[] path)
    {
        var origin = Here;
        _position++;
        Enter();
        var result = ParseFields(path, braced: true, origin);
        _depth--;
        return result;
    }

    private HoconObject ParseFields(string[] path, bool braced, ConfigOrigin origin)
    {
        var builder = new ObjectBuilder(origin);
        while (true)
        {
            SkipSpaceAndNewlines();
            if (AtEnd)
            {
                return braced
                    ? throw Error($"the '{{' opened on line {origin.Line} is not closed; add the missing '}}'")
                    : builder.Build();
            }

            if (Current == '}')
            {
                if (!braced)
                {
                    throw Error("'}' has no matching '{'; remove it or add the opening brace");
                }

                _position++;
                return builder.Build();
            }

            ParseField(builder, path);
            // A newline separates fields, and so does a comma, also on the next line ("a = 1\n, b = 2", as JSON allows).
            var crossedNewline = SkipSpaceAndNewlines();
            if (Current == ',')
            {
                _position++;
            }
            else if (!crossedNewline && !AtEnd && Current != '}')
            {
                throw Error($"expected ',' or a newline after a field, found {Show(Current)}");
            }
        }
    }

    private void ParseField(ObjectBuilder builder, string[] objectPath)
    {
        if (AtInclude())
        {
            ParseInclude(builder, objectPath);
            return;
        }

        var key = ReadKey();
        var fieldPath = Join(objectPath, key);
        if (fieldPath.Length > MaxDepth)
        {
            // Each path segment is an object level; without this, dotted keys would nest past every limit.
            throw Error($"the key has more than {MaxDepth} levels; flatten it", string.Join(".", fieldPath.Take(3)) + ".…");
        }
        var afterKey = Here;
        SkipSpaceAndNewlines();
        var origin = Here;
        HoconValue value;
        if (Current == '{')
        {
            value = ParseBracedObject(fieldPath);
        }
        else if (Current is '=' or ':')
        {
            _position++;
            SkipSpaceAndNewlines();
            value = ReadValue(fieldPath);
        }
        else if (Current == '+' && PeekAt(1) == '=')
        {
            _position += 2;
            SkipSpaceAndNewlines();
            var addition = ReadValue(fieldPath);
            // The spec defines "a += x" as "a = ${?a} [x]".
            value = new Concatenation(origin, [new Substitution(origin, fieldPath, optional: true, prefixLength: 0), new HoconArray(addition.Origin, [addition])]);
        }
        else
        {
            // Reported where the key ends, not where the search for its separator gave up.
            throw new ConfigException(afterKey, HoconPath.Render(fieldPath), $"expected '=', ':' or '{{' after the key, found {Show(Current)}");
        }

        builder.SetPath(key, value);
    }

    /// <summary>A path expression used as a key or inside <c>${...}</c>: dots split unquoted text only.</summary>
    private string[] ReadKey()
    {
        var segments = new List<string>(2);
        var segment = _scratch.Clear();
        var segmentHasText = false;
        var readAny = false;
        while (true)
        {
            if (Current == '"')
            {
                if (AtTripleQuote)
                {
                    throw Error("a key cannot be a \"\"\" string; use a normal quoted string");
                }

                segment.Append(ReadQuotedString());
                segmentHasText = true;
                readAny = true;
            }
            else if (AtUnquotedText)
            {
                while (AtUnquotedText)
                {
                    if (Current == '.')
                    {
                        CloseSegment();
                    }
                    else
                    {
                        segment.Append(Current);
                        segmentHasText = true;
                    }

                    _position++;
                }

                readAny = true;
            }
            // Stryker disable once Logical : equivalent for ||: every caller skips spaces before a key, so the first part is never a space
            else if (readAny && IsInlineSpace(Current))
            {
                var space = ReadInlineSpace();
                if (Current != '"' && !AtUnquotedText)
                {
                    break;
                }

                // Spaces between two parts of a key belong to the key, as in "a b = 1".
                segment.Append(space);
            }
            else
            {
                break;
            }
        }

        if (!readAny)
        {
            throw Error($"expected a key, found {Show(Current)}");
        }

        CloseSegment();
        return [.. segments];

        void CloseSegment()
        {
            if (!segmentHasText)
            {
                throw Error("a key has an empty part (two dots, or a dot at one end); quote keys that contain dots, e.g. \"a.b\" = 1");
            }

            segments.Add(segment.ToString());
            segment.Clear();
            segmentHasText = false;
        }
    }

    /// <summary>A value up to the end of the line, ',' or a closing bracket, including value concatenation.</summary>
    private HoconValue ReadValue(string[] path)
    {
        var origin = Here;
        var parts = new List<HoconValue>(1);
        // Stryker disable once Boolean : equivalent: the loop sets it after every part, and no part means an error
        var onlyPartIsUnquoted = false;
        var hasSubstitution = false;
        var hasComposite = false;
        string? pendingSpace = null;
        while (!AtEnd && Current is not ('\n' or ',' or '}' or ']') && !AtComment)
        {
            if (IsInlineSpace(Current))
            {
                pendingSpace = ReadInlineSpace();
                continue;
            }

            if (pendingSpace is not null)
            {
                parts.Add(new ConcatenationSpace(Here, pendingSpace));
                pendingSpace = null;
            }

            var partOrigin = Here;
            var unquoted = false;
            HoconValue part;
            switch (Current)
            {
                case '{':
                    part = ParseBracedObject(path);
                    hasComposite = true;
                    break;
                case '[':
                    part = ParseArray(path);
                    hasComposite = true;
                    break;
                case '"':
                    part = HoconScalar.String(partOrigin, AtTripleQuote ? ReadTripleQuotedString() : ReadQuotedString());
                    break;
                case '$' when PeekAt(1) == '{':
                    part = ReadSubstitution();
                    hasSubstitution = true;
                    break;
                case '$':
                    throw Error("'$' starts a substitution such as ${a.b}; quote the value if '$' is meant literally", HoconPath.Render(path));
                default:
                    if ((Current == '-' || char.IsAsciiDigit(Current)) && TryReadNumber() is { } number)
                    {
                        unquoted = AtUnquotedText;
                        // Stryker disable once Conditional : equivalent: a number read alone is followed by its text as the next part, and the two concatenate to the same string
                        part = unquoted
                            ? HoconScalar.String(partOrigin, number + ReadUnquoted())
                            : new HoconScalar(partOrigin, HoconScalarKind.Number, number);
                    }
                    else if (AtUnquotedText)
                    {
                        part = HoconScalar.String(partOrigin, ReadUnquoted());
                        unquoted = true;
                    }
                    else
                    {
                        throw Error($"unexpected {Show(Current)} in a value; quote the value if {Show(Current)} is part of it", HoconPath.Render(path));
                    }

                    break;
            }

            parts.Add(part);
            onlyPartIsUnquoted = unquoted && parts.Count == 1;
        }

        return parts.Count switch
        {
            0 => throw Error($"expected a value, found {Show(Current)}", HoconPath.Render(path)),
            1 => onlyPartIsUnquoted ? ClassifyUnquoted((HoconScalar)parts[0]) : parts[0],
            _ => hasSubstitution ? new Concatenation(origin, parts) : ConcatenateLiterals(origin, parts, hasComposite, path),
        };
    }

    private static HoconScalar ClassifyUnquoted(HoconScalar text) => text.Text switch
    {
        "true" or "false" => new HoconScalar(text.Origin, HoconScalarKind.Boolean, text.Text),
        "null" => new HoconScalar(text.Origin, HoconScalarKind.Null, text.Text),
        _ => text,
    };

    /// <summary>Concatenation without substitutions is done now, so the resolver never sees it.</summary>
    private static HoconValue ConcatenateLiterals(ConfigOrigin origin, List<HoconValue> parts, bool hasComposite, string[] path)
    {
        if (!hasComposite)
        {
            var text = new StringBuilder();
            foreach (var part in parts)
            {
                text.Append(part is ConcatenationSpace space ? space.Text : ((HoconScalar)part).Text);
            }

            return HoconScalar.String(origin, text.ToString());
        }

        var values = parts.Where(part => part is not ConcatenationSpace).ToList();
        return ValueConcatenation.Combine(origin, values, HoconPath.Render(path));
    }

    private HoconArray ParseArray(string[] path)
    {
        var origin = Here;
        _position++;
        Enter();
        var items = new List<HoconValue>();
        while (true)
        {
            SkipSpaceAndNewlines();
            if (AtEnd)
            {
                throw Error($"the '[' opened on line {origin.Line} is not closed; add the missing ']'");
            }

            if (Current == ']')
            {
                _position++;
                break;
            }

            items.Add(ReadValue(path));
            var crossedNewline = SkipSpaceAndNewlines();
            if (Current == ',')
            {
                _position++;
            }
            else if (!crossedNewline && !AtEnd && Current != ']')
            {
                throw Error($"expected ',' or a newline between list elements, found {Show(Current)}", HoconPath.Render(path));
            }
        }

        _depth--;
        return new HoconArray(origin, items);
    }

    private Substitution ReadSubstitution()
    {
        var origin = Here;
        _position += 2;
        var optional = Current == '?';
        if (optional)
        {
            _position++;
        }

        ReadInlineSpace();
        var path = ReadKey();
        // Stryker disable once Statement : equivalent: ReadKey already took the spaces after the last part of the key
        ReadInlineSpace();
        if (Current != '}')
        {
            throw Error($"expected '}}' to close ${{{HoconPath.Render(path)}, found {Show(Current)}");
        }

        _position++;
        // Paths in an included file are relative to where it is included; the resolver also tries them as written.
        // Stryker disable once Conditional : equivalent: prefixing with an empty prefix gives the same path
        string[] absolute = _includePrefix.Length == 0 ? path : [.. _includePrefix, .. path];
        return new Substitution(origin, absolute, optional, _includePrefix.Length);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"objects and lists are nested more than {MaxDepth} deep");
        }
    }

    // Stryker disable once Conditional : equivalent: joining with an empty prefix gives the same path
    private static string[] Join(string[] prefix, string[] key) => prefix.Length == 0 ? key : [.. prefix, .. key];
}
