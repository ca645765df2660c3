using System.Buffers;
using Lan.Actors.Hocon;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>Every public entry point refuses null with an <see cref="ArgumentNullException"/> naming the argument, not a later crash.</summary>
public sealed class ArgumentGuardSpec
{
    private static readonly Packet s_ping = Packet.From(new Ping());

    public static TheoryData<string, Action> NullArguments() => new()
    {
        { "packet", () => new DatagramCodec().Encode(null!) },
        { "packet", () => new FrameEncoder().Write((Packet)null!, new ArrayBufferWriter<byte>()) },
        { "writer", () => new FrameEncoder().Write(s_ping, null!) },
        { "writer", () => new FrameEncoder().Write([s_ping], null!) },
        { "packets", () => new FrameEncoder().Write([s_ping, null!], new ArrayBufferWriter<byte>()) },
        { "packet", () => new FrameEncoder().CheckLimits(null!) },
        { "type", () => Packet.From<Score>(null!, new Score("a", 1), ChatJson.Default.Score) },
        { "typeInfo", () => Packet.From("SCORE", new Score("a", 1), null!) },
        { "json", () => Packet.Parse((string)null!) },
        { "typeInfo", () => s_ping.As<Score>(null!) },
        { "name", () => s_ping.Has(null!) },
        { "name", () => s_ping.GetString(null!) },
        { "name", () => s_ping.TryGet<int>(null!, out _) },
        { "name", () => s_ping.TryGet(null!, ChatJson.Default.Score, out _) },
        { "typeInfo", () => s_ping.TryGet<Score>("X", null!, out _) },
        { "name", () => Packet.Create("X").Set(null!, 1L) },
        { "type", () => Packet.Create(null!) },
        { "type", () => new PacketRegistry().Register<Score>(null!, ChatJson.Default.Score) },
        { "typeInfo", () => new PacketRegistry().Register<Score>("SCORE", null!) },
        { "packet", () => new PacketRegistry().TryDecode(null!, out _) },
        { "config", () => ProtocolSettings.FromConfig(null!) },
    };

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void Null_IsRefusedUpFront_NamingTheArgument(string parameter, Action call)
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(call);

        Assert.Equal(parameter, error.ParamName);
    }

    [Theory]
    [InlineData("bad-type")]
    [InlineData("")]
    [InlineData("lower")]
    public void AnInvalidType_IsRefusedByEveryWayOfNamingOne(string type)
    {
        Assert.Equal("type", Assert.Throws<ArgumentException>(() => Packet.From(type, new Score("a", 1), ChatJson.Default.Score)).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentException>(() => new PacketRegistry().Register(type, ChatJson.Default.Score)).ParamName);
        ArgumentException error = Assert.Throws<ArgumentException>(() => Packet.Create(type));
        Assert.Contains($"packet type \"{type}\" is invalid; use 1 to 64 characters from A-Z, 0-9 and _", error.Message, StringComparison.Ordinal);
    }
}
