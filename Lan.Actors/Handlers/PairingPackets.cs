using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lan.Actors.Protocol;

namespace Lan.Actors.Handlers;

/// <summary>PAIR_COMMIT: the connecting side's SHA-256 of its nonce (base64), sent before it sees the other's.</summary>
internal sealed record PairCommit(string Commit) : ITypedPacket<PairCommit>
{
    public static string PacketType => "PAIR_COMMIT";

    public static JsonTypeInfo<PairCommit> JsonTypeInfo => PairingJsonContext.Default.PairCommit;
}

/// <summary>PAIR_NONCE: a side's nonce (base64): the accepting side's first, then the connecting side's, which opens its commitment.</summary>
internal sealed record PairNonce(string Nonce) : ITypedPacket<PairNonce>
{
    public static string PacketType => "PAIR_NONCE";

    public static JsonTypeInfo<PairNonce> JsonTypeInfo => PairingJsonContext.Default.PairNonce;
}

/// <summary>PAIR_CONFIRM: this side's person saw the same code and said yes.</summary>
internal sealed record PairConfirm(bool Yes) : ITypedPacket<PairConfirm>
{
    public static string PacketType => "PAIR_CONFIRM";

    public static JsonTypeInfo<PairConfirm> JsonTypeInfo => PairingJsonContext.Default.PairConfirm;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PairCommit))]
[JsonSerializable(typeof(PairNonce))]
[JsonSerializable(typeof(PairConfirm))]
internal sealed partial class PairingJsonContext : JsonSerializerContext;
