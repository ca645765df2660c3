using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Lan.Actors.Protocol;

namespace Lan.Actors.Benchmarks.Protocol;

/// <summary>
/// Encode, decode and TYPE peek of a MESSAGE with 100 bytes of TEXT, each against the naive way in the same run:
/// a <c>Dictionary&lt;string, object&gt;</c> through <see cref="JsonSerializer"/> and a <see cref="BinaryPrimitives"/> length.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PacketCodecBenchmarks
{
    private readonly string _text = new('m', 100);
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly FrameEncoder _encoder = new();
    private readonly FrameDecoder _decoder = new();
    private Packet _encoded = null!;
    private byte[] _frame = [];

    [GlobalSetup]
    public void Setup()
    {
        _encoded = Packet.From(new TextMessage(_text));
        _encoder.Write(_encoded, _output);
        _frame = _output.WrittenSpan.ToArray();
    }

    [BenchmarkCategory("Encode"), Benchmark(Baseline = true)]
    public int Encode_NaiveDictionary()
    {
        _output.ResetWrittenCount();
        var packet = new Dictionary<string, object> { ["TYPE"] = "MESSAGE", ["TEXT"] = _text };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(packet);
        Span<byte> frame = _output.GetSpan(4 + json.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame, json.Length);
        json.CopyTo(frame[4..]);
        _output.Advance(4 + json.Length);
        return _output.WrittenCount;
    }

    [BenchmarkCategory("Encode"), Benchmark]
    public int Encode_NewTypedPacket()
    {
        _output.ResetWrittenCount();
        _encoder.Write(Packet.From(new TextMessage(_text)), _output);
        return _output.WrittenCount;
    }

    [BenchmarkCategory("Encode"), Benchmark]
    public int Encode_AlreadyEncodedPacket()
    {
        _output.ResetWrittenCount();
        _encoder.Write(_encoded, _output);
        return _output.WrittenCount;
    }

    [BenchmarkCategory("Decode"), Benchmark(Baseline = true)]
    public Dictionary<string, object>? Decode_NaiveDictionary()
    {
        int length = BinaryPrimitives.ReadInt32BigEndian(_frame);
        return JsonSerializer.Deserialize<Dictionary<string, object>>(_frame.AsSpan(4, length));
    }

    [BenchmarkCategory("Decode"), Benchmark]
    public Packet? Decode_FrameDecoder()
    {
        var buffer = new ReadOnlySequence<byte>(_frame);
        _decoder.TryDecode(ref buffer, out Packet? packet);
        return packet;
    }

    [BenchmarkCategory("Validate"), Benchmark(Baseline = true)]
    public int Validate_Utf8JsonReader() =>
        PacketHeaderParser.ParseFully(_frame.AsSpan(FrameEncoder.PrefixLength), 32, 1 << 20, isDatagram: false).ContentLength;

    [BenchmarkCategory("Validate"), Benchmark]
    public bool Validate_Scanner() =>
        PacketHeaderScanner.TryScan(_frame.AsSpan(FrameEncoder.PrefixLength), 32, 1 << 20, isDatagram: false, out _);

    [BenchmarkCategory("PeekType"), Benchmark(Baseline = true)]
    public string? PeekType_NaiveDictionary()
    {
        int length = BinaryPrimitives.ReadInt32BigEndian(_frame);
        Dictionary<string, object>? packet = JsonSerializer.Deserialize<Dictionary<string, object>>(_frame.AsSpan(4, length));
        return packet!["TYPE"].ToString();
    }

    [BenchmarkCategory("PeekType"), Benchmark]
    public string? PeekType_FrameDecoder()
    {
        FrameDecoder.TryPeekType(new ReadOnlySequence<byte>(_frame), out string? type);
        return type;
    }
}
