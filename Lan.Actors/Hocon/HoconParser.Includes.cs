namespace Lan.Actors.Hocon;

// The include statement: include "f", include file("f"), include required(...).
internal sealed partial class HoconParser
{
    private bool AtInclude()
    {
        if (!_text.AsSpan(_position).StartsWith("include", StringComparison.Ordinal))
        {
            return false;
        }

        var next = _position + "include".Length;
        if (next >= _text.Length || !IsInlineSpace(_text[next]))
        {
            return false;
        }

        while (next < _text.Length && IsInlineSpace(_text[next]))
        {
            next++;
        }

        var rest = _text.AsSpan(next);
        return rest.StartsWith("\"", StringComparison.Ordinal) || rest.StartsWith("file(", StringComparison.Ordinal)
            || rest.StartsWith("required(", StringComparison.Ordinal) || rest.StartsWith("url(", StringComparison.Ordinal)
            || rest.StartsWith("classpath(", StringComparison.Ordinal);
    }

    private void ParseInclude(ObjectBuilder builder, string[] objectPath)
    {
        var origin = Here;
        _position += "include".Length;
        ReadInlineSpace();
        var required = TryConsume("required(");
        var closingParens = required ? 1 : 0;
        ReadInlineSpace();
        if (TryConsume("url(") || TryConsume("classpath("))
        {
            throw Error("only file includes are supported; write include \"file.conf\" or include file(\"file.conf\")");
        }

        if (TryConsume("file("))
        {
            closingParens++;
        }

        ReadInlineSpace();
        if (Current != '"')
        {
            throw Error("include needs a quoted file name, e.g. include \"common.conf\"");
        }

        var name = ReadQuotedString();
        for (var i = 0; i < closingParens; i++)
        {
            ReadInlineSpace();
            if (!TryConsume(")"))
            {
                throw Error($"expected ')' after the include's file name, found {Show(Current)}");
            }
        }

        if (_includes.Include(name, required, _directory, objectPath, origin) is { } included)
        {
            builder.MergeIn(included);
        }
    }

    private bool TryConsume(string expected)
    {
        if (!_text.AsSpan(_position).StartsWith(expected, StringComparison.Ordinal))
        {
            return false;
        }

        _position += expected.Length;
        return true;
    }
}
