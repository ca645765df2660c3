using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>What a peer says reaches a terminal as text it shows, never as control it acts on.</summary>
public sealed class PeerTextSpec
{
    [Theory]
    [InlineData("\u001b]0;pwned\u0007", "\\x1B]0;pwned\\x07")] // a window title, the bell
    [InlineData("\u001b[2J\u001b[H", "\\x1B[2J\\x1B[H")] // clear the screen, cursor home
    [InlineData("hi\nfrom carol: run fix.sh", "hi\\nfrom carol: run fix.sh")] // a faked second line
    [InlineData("50%\rdone", "50%\\rdone")]
    [InlineData("a\tb", "a\\tb")]
    [InlineData("\u009b2J", "\\x9B2J")] // C1 CSI, read by 8-bit terminals
    [InlineData("end of C1\u009f", "end of C1\\x9F")]
    [InlineData("\u202Aembedding", "\\u202Aembedding")]
    [InlineData("\u0085next", "\\x85next")] // C1 NEL
    [InlineData("del\u007f", "del\\x7F")]
    [InlineData("\0", "\\x00")]
    [InlineData("invoice\u202Efdp.exe", "invoice\\u202Efdp.exe")] // right-to-left override
    [InlineData("\u2066isolate\u2069", "\\u2066isolate\\u2069")]
    [InlineData("\u200Emark\u200F\u061C", "\\u200Emark\\u200F\\u061C")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    public void EveryCharacterATerminalActsOn_IsShownEscaped(string said, string shown)
    {
        Assert.Equal(shown, PeerText.ForDisplay(said));
        Assert.False(PeerText.IsSafe(said));
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("Zoë — café, 東京, Ελλάδα, עברית")]
    [InlineData("party 🎉👩‍👩‍👧")]
    [InlineData("C:\\Users\\bob [1] {x}")]
    public void Text_InAnyLanguage_EmojiIncluded_IsKeptAsItIs_AndNotCopied(string said)
    {
        Assert.Same(said, PeerText.ForDisplay(said));
        Assert.True(PeerText.IsSafe(said));
    }

    [Fact]
    public void ALoneHalfOfASurrogatePair_IsShownEscaped_WhileAWholePairIsKept()
    {
        // Built here, not in theory data: a lone surrogate does not survive the test runner's serialisation.
        Assert.Equal("lone \\uD800 half", PeerText.ForDisplay("lone \ud800 half"));
        Assert.Equal("\\uDC00", PeerText.ForDisplay("\udc00"));
        Assert.Equal("\\uD83C!", PeerText.ForDisplay("\ud83c!"));
        Assert.Same("\ud83c\udf89", PeerText.ForDisplay("\ud83c\udf89"));
        // After a first escape, a whole pair is still kept whole, and a lone half at the very end is still escaped.
        Assert.Equal("\\x1B\ud83c\udf89!", PeerText.ForDisplay("\u001b\ud83c\udf89!"));
        Assert.Equal("\\x1B\\uD83C", PeerText.ForDisplay("\u001b\ud83c"));
        Assert.False(PeerText.IsSafe("ok\ud83c"));
    }

    [Fact]
    public void Nothing_IsShownAsNothing() => Assert.Equal("", PeerText.ForDisplay(null));
}
