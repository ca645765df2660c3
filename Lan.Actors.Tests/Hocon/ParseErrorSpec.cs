namespace Lan.Actors.Tests.Hocon;

public sealed class ParseErrorSpec
{
    [Theory]
    [InlineData("a = 1\nb = \"open", "<string>:2: the string opened on line 2 is not closed")]
    [InlineData("a {\n  b = 1\n", "<string>:3: the '{' opened on line 1 is not closed")]
    [InlineData("a = [1,\n2", "<string>:2: the '[' opened on line 1 is not closed")]
    [InlineData("a = 1\n}", "<string>:2: '}' has no matching '{'")]
    [InlineData("a = 1 = 2", "<string>:1: a: unexpected '=' in a value")]
    [InlineData("a = 1\nb\n", "<string>:2: b: expected '=', ':' or '{' after the key, found the end of the text")]
    [InlineData("a =", "<string>:1: a: expected a value, found the end of the text")]
    [InlineData("a = $x", "<string>:1: a: '$' starts a substitution")]
    [InlineData("a = ${b", "<string>:1: expected '}' to close ${b")]
    [InlineData("a = \"\\q\"", "<string>:1: unknown escape '\\q'")]
    [InlineData("[1, 2]", "<string>:1: the root of a configuration must be an object")]
    [InlineData("a = 1 b = 2", "<string>:1: a: unexpected '=' in a value")]
    [InlineData("a = [1 }", "<string>:1: a: expected ',' or a newline between list elements, found '}'")]
    [InlineData("include url(\"http://x\")", "<string>:1: only file includes are supported")]
    public void SyntaxErrors_GiveTheLineAndWhatToFix(string text, string expectedStart)
    {
        var error = HoconText.Error(() => HoconText.Parse(text));
        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsRefused_InsteadOfOverflowingTheStack()
    {
        var text = "a = " + new string('[', 10_000) + new string(']', 10_000);
        var error = HoconText.Error(() => HoconText.Parse(text));
        Assert.Contains("nested more than", error.Message, StringComparison.Ordinal);
    }
}
