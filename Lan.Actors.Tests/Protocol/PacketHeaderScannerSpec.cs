using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Lan.Actors.Protocol;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Protocol;

/// <summary>
/// The fast scanner may only say "valid" where the full <c>Utf8JsonReader</c> check agrees, with the same TYPE, CL and
/// depth; everything it is unsure of goes to the full check. Held to that on ordinary packets, on generated packets
/// mutated byte by byte, and on random text over JSON's own alphabet.
/// </summary>
public sealed class PacketHeaderScannerSpec(ITestOutputHelper output)
{
    private const int MaxDepth = 6;
    private const int MaxContent = 1000;

    public static TheoryData<string> OrdinaryPackets => new()
    {
        """{"TYPE":"PING"}""",
        """{"TYPE":"MESSAGE","TEXT":"hello"}""",
        """{"TYPE":"FILE_CHUNK","ID":"a1","OFFSET":1048576,"CL":999}""",
        """{"TYPE":"X","N":-0.5e+3,"B":true,"F":false,"Z":null,"E":1E9,"I":0}""",
        """{"TYPE":"X","L":[1,[2,[3]],{"A":[]},{}],"O":{"TYPE":{"CL":"nested keys are not the packet's"}}}""",
        """ { "TYPE" : "SPACED" , "CL" : 0 , "A" : [ 1 , 2 ] } """,
        "{\"TYPE\":\"UTF8\",\"TEXT\":\"é中🙂 and a longer text that spans several sixteen-byte blocks\"}",
        """{"A":1,"TYPE":"LATE_TYPE"}""",
        """{"TYPE":"DEEP","A":{"B":{"C":{"D":{"E":[]}}}}}""",
    };

    [Theory]
    [MemberData(nameof(OrdinaryPackets))]
    public void OrdinaryPackets_AreVouchedFor_WithTheFullChecksHeaderAndDepth(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);

        Assert.True(PacketHeaderScanner.TryScan(bytes, MaxDepth, MaxContent, isDatagram: false, out PacketHeader scanned), json);

        PacketHeader full = PacketHeaderParser.ParseFully(bytes, MaxDepth, MaxContent, isDatagram: false);
        Assert.Equal(full.Type, scanned.Type);
        Assert.Equal(full.ContentLength, scanned.ContentLength);
        Assert.Equal(JsonDepth.Measure(bytes), scanned.Depth);
    }

    public static TheoryData<string> LeftToTheFullCheck => new()
    {
        "",
        "[]",
        """{"TYPE":"ESCAPED\u0041"}""",
        """{"TYPE":"X","TEXT":"a \"quoted\" word"}""",
        """{"TYPE":"X","TEXT":"tab	inside"}""",
        """{"TYPE":"X"}{}""",
        """{"TYPE":"X",}""",
        """{"TYPE":"X","A":[1,]}""",
        """{"TYPE":"X","A":01}""",
        """{"TYPE":"X","A":1.}""",
        """{"TYPE":"X","A":.5}""",
        """{"TYPE":"X","A":tru}""",
        """{"TYPE":"X","A":nullx}""",
        """{"TYPE":"X","TYPE":"Y"}""",
        """{"TYPE":"X","CL":1,"CL":1}""",
        """{"TYPE":"X","CL":1001}""",
        """{"TYPE":"X","CL":-1}""",
        """{"TYPE":"X","CL":1.0}""",
        """{"TYPE":"X","CL":"5"}""",
        """{"TYPE":"X","CL":0123}""",
        """{"TYPE":"lower"}""",
        """{"TYPE":5}""",
        """{"NO_TYPE":"X"}""",
        """{"TYPE":"X","A":{"B":{"C":{"D":{"E":{"F":[1]}}}}}}""",
        """{"TYPE":"X" "A":1}""",
        """{"TYPE":"X","A":1} x""",
        """{"TYPE":"X","A":[}""",
        """{"TYPE":"X","A":{]}""",
        """{"TYPE":"X","A":[1}}""",
        """{"TYPE":"X","A":{"B":1]}""",
        "{\"TYPE\":\"X\",\u0001\"A\":1}",
        "{\"TYPE\":\"X\",\f\"A\":1}",
        "{\"TYPE\":\"X\",\u000b\"A\":1}",
        "{\"TYPE\":\"X\",\u00a0\"A\":1}",
        """{"TYPE":"X","A":/* comment */1}""",
        "\uFEFF{\"TYPE\":\"BOM\"}",
    };

    [Theory]
    [MemberData(nameof(LeftToTheFullCheck))]
    public void EscapesUnusualShapesAndErrors_AreLeftToTheFullCheck(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);

        Assert.False(PacketHeaderScanner.TryScan(bytes, MaxDepth, MaxContent, isDatagram: false, out _), json);
    }

    [Fact]
    public void InvalidUtf8_IsLeftToTheFullCheck()
    {
        byte[] bytes = [.. """{"TYPE":"X","TEXT":" """u8, 0xC3, .. "\"}"u8];

        Assert.False(PacketHeaderScanner.TryScan(bytes, MaxDepth, MaxContent, isDatagram: false, out _));
        Assert.Throws<ProtocolException>(() => PacketHeaderParser.Parse(bytes, MaxDepth, MaxContent, isDatagram: false));
    }

    [Fact]
    public void EveryStopAndNonAsciiByte_AtEveryPositionOfAStringUpTo80Bytes_IsJudgedAsTheFullCheckJudgesIt()
    {
        // The string scan takes 32- and 16-byte blocks and ends on a block overlapping the one before: each odd byte is put
        // at each position of texts of each length around those boundaries, in the first string and in a later one.
        byte[][] odd = [[0xC3, 0xA9], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x99, 0x82], [0xC3], [0xFF], [0xED, 0xA0, 0x80], "\\"u8.ToArray(), "\""u8.ToArray(), [0x1F]];
        var tally = new Tally();
        for (var length = 0; length <= 80; length++)
        {
            for (var at = 0; at <= length; at++)
            {
                foreach (byte[] bytes in odd)
                {
                    byte[] text = [.. Enumerable.Repeat((byte)'x', at), .. bytes, .. Enumerable.Repeat((byte)'y', length - at)];
                    AssertScannerAgreesWithFullCheck([.. "{\"TYPE\":\"X\",\"TEXT\":\""u8, .. text, .. "\"}"u8], tally);
                    AssertScannerAgreesWithFullCheck([.. "{\"TYPE\":\"X\",\"A\":\"é\",\"TEXT\":\""u8, .. text, .. "\",\"B\":1}"u8], tally);
                }
            }
        }

        output.WriteLine($"vouched for {tally.Vouched}, left {tally.LeftToFullCheck} to the full check");
        Assert.True(tally.Vouched > 10_000, "the valid texts must be vouched for, not all left to the full check");
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0xA9 })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public void NonAsciiBytesOutsideStrings_AreLeftToTheFullCheck(byte[] odd)
    {
        byte[][] packets =
        [
            [.. odd, .. """{"TYPE":"X"}"""u8],
            [.. """{"TYPE":"X","""u8, .. odd, .. "\"A\":1}"u8],
            [.. """{"TYPE":"X","A":"""u8, .. odd, .. "}"u8],
            [.. """{"TYPE":"X","A":1"""u8, .. odd, .. "}"u8],
            [.. """{"TYPE":"X"}"""u8, .. odd],
        ];

        foreach (byte[] packet in packets)
        {
            Assert.False(PacketHeaderScanner.TryScan(packet, MaxDepth, MaxContent, isDatagram: false, out _), Convert.ToHexString(packet));
        }
    }

    [Fact]
    public void DatagramWithContent_IsLeftToTheFullCheck()
    {
        byte[] bytes = """{"TYPE":"X","CL":3}"""u8.ToArray();

        Assert.False(PacketHeaderScanner.TryScan(bytes, MaxDepth, MaxContent, isDatagram: true, out _));
        Assert.True(PacketHeaderScanner.TryScan(bytes, MaxDepth, MaxContent, isDatagram: false, out _));
    }

    [Fact]
    public void GeneratedPackets_MutatedByteByByte_AreNeverVouchedForAgainstTheFullCheck()
    {
        // The shared generator's text is full of escapes (left to the full check); plain text gets the scanner's path too.
        Gen<PacketSpec> plain =
            from type in PacketGenerators.Type
            from names in Gen.ArrayOf(Gen.Elements("A", "TEXT", "ID", "é", "LIST"), 3)
            from values in Gen.ArrayOf(Gen.OneOf(PacketGenerators.FieldValue, Gen.Elements("plain words", "中文 🙂", "").Select(text => (object)text)), 3)
            select new PacketSpec(type, names.Zip(values, (name, value) => new KeyValuePair<string, object>(name, value)).ToArray(), []);
        Gen<(PacketSpec Packet, int[] Edits)> cases =
            from packet in Gen.OneOf(PacketGenerators.Packet, plain)
            from edits in Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(Gen.Choose(0, int.MaxValue), count))
            select (packet, edits);
        var tally = new Tally();

        SeededCheck.Run(output, seed: 20_261_126, maxTests: 3_000, Prop.ForAll(cases.ToArbitrary(), sample =>
        {
            byte[] json = Mutate(sample.Packet.Build().Json.ToArray(), sample.Edits);
            AssertScannerAgreesWithFullCheck(json, tally);
        }));

        output.WriteLine(tally.ToString());
        // The property only means something if both outcomes are common: at least a tenth of the cases each.
        Assert.True(tally.Vouched > 300, tally.ToString());
        Assert.True(tally.LeftToFullCheck > 300, tally.ToString());
    }

    [Fact]
    public void RandomJsonWithBrokenTokens_IsNeverVouchedForAgainstTheFullCheck()
    {
        // Values built from JSON's grammar, some tokens of them malformed (01, 1., tru, -), one token dropped or
        // doubled, a closing bracket swapped or an odd byte put between tokens, under limits that vary too: these
        // reach the corners of numbers, literals, nesting, separators and the depth and CL limits far more often than
        // random bytes would.
        var tally = new Tally();
        Gen<Limits> limits =
            from maxDepth in Gen.Choose(1, 8)
            from maxContent in Gen.Elements(0, 7, 1000, int.MaxValue)
            from isDatagram in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new Limits(maxDepth, maxContent, isDatagram);
        Gen<(List<string> Tokens, int Edit, Limits Limits)> cases =
            from lead in Gen.Choose(0, 4).SelectMany(count => Gen.ArrayOf(Member(depth: 4), count))
            from members in Gen.Choose(0, 4).SelectMany(count => Gen.ArrayOf(Member(depth: 4), count))
            from canonical in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
            from edit in Gen.Choose(-80, 80)
            from limit in limits
            select (Packet(canonical ? [] : [.. lead], [.. members]), edit, limit);

        SeededCheck.Run(output, seed: 7_031, maxTests: 8_000, Prop.ForAll(cases.ToArbitrary(), sample =>
        {
            string json = Edit(sample.Tokens, sample.Edit);
            AssertScannerAgreesWithFullCheck(Encoding.UTF8.GetBytes(json), tally, sample.Limits);
        }));

        output.WriteLine(tally.ToString());
        Assert.True(tally.Vouched > 800, tally.ToString());
        Assert.True(tally.LeftToFullCheck > 800, tally.ToString());
    }

    private sealed record Limits(int MaxDepth, int MaxContent, bool IsDatagram);

    // Negative: untouched. Otherwise, by the edit's remainder: drop a token, double it, swap a closing bracket
    // somewhere in the text for the other kind, or put a byte JSON does not allow (or only sometimes) between tokens.
    private static string Edit(List<string> tokens, int edit)
    {
        if (edit < 0 || tokens.Count == 0)
        {
            return string.Concat(tokens);
        }

        List<string> edited = [.. tokens];
        int at = edit % edited.Count;
        switch (edit % 4)
        {
            case 0:
                edited.RemoveAt(at);
                return string.Concat(edited);
            case 1:
                edited.Insert(at, edited[at]);
                return string.Concat(edited);
            case 2:
                string text = string.Concat(edited);
                int close = text.IndexOfAny(['}', ']'], edit % text.Length);
                return close < 0 ? text : string.Concat(text.AsSpan(0, close), text[close] == '}' ? "]" : "}", text.AsSpan(close + 1));
            default:
                string[] odd = ["\f", "\u000b", "\u0001", "\u00a0", "\r", "\u0000"];
                edited.Insert(at, odd[edit % odd.Length]);
                return string.Concat(edited);
        }
    }

    private static readonly string[] s_numbers =
        ["0", "-0", "7", "-12", "1.5", "0.25", "1e5", "2E+3", "-2.5e-3", "01", "1.", ".5", "-", "1e", "+1", "1.2.3", "999999999999999999", "1000000000000000000", "99999999999999999999", "1000", "1001"];
    private static readonly string[] s_literals = ["true", "false", "null", "tru", "nul", "True"];
    private static readonly string[] s_strings = ["\"\"", "\"x\"", "\"é中\"", "\"a long text of more than sixteen bytes\"", "\"TYPE\"", "\"CL\""];
    private static readonly string[] s_space = ["", "", "", " ", "\n", "\t ", "\r\n"];

    // TYPE first, as every encoder here writes it, or after other members, with what may come before the object.
    private static List<string> Packet(List<List<string>> lead, List<List<string>> members)
    {
        List<string> tokens = lead.Count == 0 ? ["{"] : [" ", "{"];
        foreach (List<string> member in lead)
        {
            tokens.AddRange(member);
            tokens.Add(",");
        }

        tokens.AddRange(["\"TYPE\"", ":", "\"R\""]);
        foreach (List<string> member in members)
        {
            tokens.Add(",");
            tokens.AddRange(member);
        }

        tokens.Add("}");
        return tokens;
    }

    private static Gen<List<string>> Member(int depth) =>
        from key in Gen.Elements("\"A\"", "\"CL\"", "\"TYPE\"", "\"é\"")
        from space in Gen.Elements(s_space)
        from value in Value(depth)
        select (List<string>)[key, space, ":", space, .. value];

    private static Gen<List<string>> Value(int depth)
    {
        Gen<List<string>> scalar = Gen.OneOf(Gen.Elements(s_numbers), Gen.Elements(s_literals), Gen.Elements(s_strings)).Select(token => new List<string> { token });
        if (depth == 0)
        {
            return scalar;
        }

        Gen<List<string>> array =
            from items in Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(Value(depth - 1), count))
            select (List<string>)["[", string.Join(",", items.Select(item => string.Concat(item))), "]"];
        Gen<List<string>> obj =
            from members in Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(Member(depth - 1), count))
            select (List<string>)["{", string.Join(",", members.Select(member => string.Concat(member))), "}"];
        return Gen.Frequency((3, scalar), (1, array), (1, obj));
    }

    private static void AssertScannerAgreesWithFullCheck(byte[] json, Tally tally, Limits? limits = null)
    {
        limits ??= new Limits(MaxDepth, MaxContent, IsDatagram: false);
        if (!PacketHeaderScanner.TryScan(json, limits.MaxDepth, limits.MaxContent, limits.IsDatagram, out PacketHeader scanned))
        {
            tally.LeftToFullCheck++;
            return;
        }

        tally.Vouched++;
        string shown = $"{Encoding.UTF8.GetString(json)} under {limits}";
        PacketHeader full;
        try
        {
            full = PacketHeaderParser.ParseFully(json, limits.MaxDepth, limits.MaxContent, limits.IsDatagram);
        }
        catch (ProtocolException e)
        {
            Assert.Fail($"the scanner vouched for {shown}, which the full check refuses: {e.Message}");
            return;
        }

        Assert.True(full.Type == scanned.Type && full.ContentLength == scanned.ContentLength, $"headers differ for {shown}");
        Assert.True(JsonDepth.Measure(json) == scanned.Depth, $"depth differs for {shown}");
    }

    // Each edit picks a position and one of: delete a byte, duplicate it, or overwrite it with a structural byte.
    private static byte[] Mutate(byte[] json, int[] edits)
    {
        byte[] structural = "{}[]\":,\\ 0-.e\t"u8.ToArray();
        var bytes = new List<byte>(json);
        foreach (int edit in edits)
        {
            if (bytes.Count == 0)
            {
                break;
            }

            int at = edit % bytes.Count;
            switch (edit / bytes.Count % 3)
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, bytes[at]);
                    break;
                default:
                    bytes[at] = structural[edit % structural.Length];
                    break;
            }
        }

        return [.. bytes];
    }

    private sealed class Tally
    {
        public int Vouched { get; set; }

        public int LeftToFullCheck { get; set; }

        public override string ToString() => $"{Vouched} vouched for by the scanner, {LeftToFullCheck} left to the full check";
    }
}
