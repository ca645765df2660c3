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
        // Values built from JSON's grammar, some tokens of them malformed (01, 1., tru, -) and some dropped or doubled,
        // reach the corners of numbers, literals, nesting and separators far more often than random bytes would.
        var tally = new Tally();
        Gen<(List<string> Tokens, int Edit)> cases =
            from members in Gen.Choose(0, 4).SelectMany(count => Gen.ArrayOf(Member(depth: 2), count))
            from edit in Gen.Choose(-40, 40)
            select (Packet([.. members]), edit);

        SeededCheck.Run(output, seed: 7_031, maxTests: 5_000, Prop.ForAll(cases.ToArbitrary(), sample =>
        {
            List<string> tokens = [.. sample.Tokens];
            // Negative: untouched; otherwise drop or double one token.
            if (sample.Edit >= 0 && tokens.Count > 0)
            {
                int at = sample.Edit % tokens.Count;
                if (sample.Edit % 2 == 0)
                {
                    tokens.RemoveAt(at);
                }
                else
                {
                    tokens.Insert(at, tokens[at]);
                }
            }

            AssertScannerAgreesWithFullCheck(Encoding.UTF8.GetBytes(string.Concat(tokens)), tally);
        }));

        output.WriteLine(tally.ToString());
        Assert.True(tally.Vouched > 500, tally.ToString());
        Assert.True(tally.LeftToFullCheck > 500, tally.ToString());
    }

    private static readonly string[] s_numbers = ["0", "-0", "7", "-12", "1.5", "0.25", "1e5", "2E+3", "-2.5e-3", "01", "1.", ".5", "-", "1e", "+1", "1.2.3"];
    private static readonly string[] s_literals = ["true", "false", "null", "tru", "nul", "True"];
    private static readonly string[] s_strings = ["\"\"", "\"x\"", "\"é中\"", "\"a long text of more than sixteen bytes\"", "\"TYPE\"", "\"CL\""];
    private static readonly string[] s_space = ["", "", "", " ", "\n", "\t "];

    private static List<string> Packet(List<List<string>> members)
    {
        List<string> tokens = ["{", "\"TYPE\"", ":", "\"R\""];
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

    private static void AssertScannerAgreesWithFullCheck(byte[] json, Tally tally)
    {
        if (!PacketHeaderScanner.TryScan(json, MaxDepth, MaxContent, isDatagram: false, out PacketHeader scanned))
        {
            tally.LeftToFullCheck++;
            return;
        }

        tally.Vouched++;
        string shown = Encoding.UTF8.GetString(json);
        PacketHeader full;
        try
        {
            full = PacketHeaderParser.ParseFully(json, MaxDepth, MaxContent, isDatagram: false);
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
