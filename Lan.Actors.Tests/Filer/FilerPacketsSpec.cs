using System.Text;
using Lan.Actors.Filer;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Filer;

/// <summary>The filer's typed packets write the fields docs/PROTOCOL.md names, and read only packets that have them all.</summary>
public sealed class FilerPacketsSpec
{
    public static TheoryData<string, string> WireForms => new()
    {
        { Json(Packet.From(new FileOffer("t1", "a.txt", 5, 1024))), """{"TYPE":"FILE_OFFER","ID":"t1","NAME":"a.txt","SIZE":5,"CHUNK":1024}""" },
        { Json(Packet.From(new FileOffer("t1", "a.txt", 5, 1024, "ab"))), """{"TYPE":"FILE_OFFER","ID":"t1","NAME":"a.txt","SIZE":5,"CHUNK":1024,"SHA256":"ab"}""" },
        { Json(Packet.From(new FileAccept("t1", 7))), """{"TYPE":"FILE_ACCEPT","ID":"t1","FROM":7}""" },
        { Json(Packet.From(new FileReject("t1", "no"))), """{"TYPE":"FILE_REJECT","ID":"t1","REASON":"no"}""" },
        { Json(Packet.From(new FileHash("t1", "ab"))), """{"TYPE":"FILE_HASH","ID":"t1","SHA256":"ab"}""" },
        { Json(Packet.From(new FileChunk("t1", 9), new byte[] { 1, 2 })), """{"TYPE":"FILE_CHUNK","CL":2,"ID":"t1","OFFSET":9}""" },
        { Json(Packet.From(new FileAck("t1", 9))), """{"TYPE":"FILE_ACK","ID":"t1","UPTO":9}""" },
        { Json(Packet.From(new FileDone("t1"))), """{"TYPE":"FILE_DONE","ID":"t1"}""" },
        { Json(Packet.From(new FileDone("t1", Ok: false, "bad"))), """{"TYPE":"FILE_DONE","ID":"t1","OK":false,"REASON":"bad"}""" },
        { Json(Packet.From(new FileCancel("t1", "stop"))), """{"TYPE":"FILE_CANCEL","ID":"t1","REASON":"stop"}""" },
    };

    [Theory]
    [MemberData(nameof(WireForms))]
    public void EachRecord_WritesTheDocumentedFields(string written, string documented) => Assert.Equal(documented, written);

    [Theory]
    [InlineData("""{"TYPE":"FILE_OFFER","ID":"t1","NAME":"a.txt","CHUNK":1024}""")]
    [InlineData("""{"TYPE":"FILE_OFFER","ID":"t1","NAME":null,"SIZE":5,"CHUNK":1024}""")]
    [InlineData("""{"TYPE":"FILE_OFFER","ID":"t1","NAME":"a.txt","SIZE":"5","CHUNK":1024}""")]
    [InlineData("""{"TYPE":"FILE_OFFER","ID":"t1","NAME":"a.txt","SIZE":5.5,"CHUNK":1024}""")]
    public void AnOfferWithAFieldMissingNullOrOfTheWrongKind_IsNotRead_SoAMissingSizeIsNeverSizeZero(string json) =>
        Assert.False(Packet.Parse(json).TryAs<FileOffer>(out _));

    [Fact]
    public void AnAckWithoutUpto_IsNotRead_AndADoneWithoutOk_IsTheSendersDone()
    {
        Assert.False(Packet.Parse("""{"TYPE":"FILE_ACK","ID":"t1"}""").TryAs<FileAck>(out _));
        Assert.True(Packet.Parse("""{"TYPE":"FILE_DONE","ID":"t1"}""").TryAs<FileDone>(out var done));
        Assert.Null(done.Ok);
    }

    private static string Json(Packet packet) => Encoding.UTF8.GetString(packet.Json.Span);
}
