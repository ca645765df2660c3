using Lan.Actors.Nodes;

namespace Lan.Actors.Tests.Nodes;

/// <summary>Log lines hold peers' names and reasons: rendered as text, never as terminal control or a second line.</summary>
public sealed class PlainLogMessageFormatterSpec
{
    private readonly PlainLogMessageFormatter _formatter = new();

    [Fact]
    public void AValueAPeerChose_IsEscaped_SoItCanNeitherDriveTheTerminalNorForgeALogLine()
    {
        var line = _formatter.Format("{Peer} disconnected: {Detail}", "eve\u001b]0;pwned\u0007", "bye\n[ERROR] the disk is full");

        Assert.Equal("eve\\x1B]0;pwned\\x07 disconnected: bye\\n[ERROR] the disk is full", line);
    }

    [Fact]
    public void ValuesAreRenderedUnquoted_PositionalAndNamedHolesAlike()
    {
        Assert.Equal("ana at 127.0.0.1:5 (3)", _formatter.Format("{Peer} at {EndPoint} ({Count})", "ana", "127.0.0.1:5", 3));
        Assert.Equal("3 for ana", _formatter.Format("{1} for {0}", "ana", 3));
    }
}
