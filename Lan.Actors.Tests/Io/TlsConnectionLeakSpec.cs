using System.Buffers;
using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// What TLS connections leave behind: 200 handshakes with an echo each, ended by goodbye, by reset, and by a peer that
/// speaks plaintext to a TLS node (a failed handshake); descriptors and connection actors come back to their baseline.
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class TlsConnectionLeakSpec : LanTestKit
{
    private const int Cycles = 200;
    private const int UncollectedCycles = 40;
    private readonly ITestOutputHelper _output;
    private readonly NodeIdentity _client = NodeIdentity.CreateEphemeral();

    public TlsConnectionLeakSpec(ITestOutputHelper output)
        : base("lan.security { mode = tls, trust = any }\nlan.tcp { port = 0, close-timeout = 500ms }\nlan.discovery.enabled = off", output) => _output = output;

    [Fact]
    public async Task TwoHundredTlsCycles_GoodbyesResetsAndFailedHandshakes_LeaveDescriptorsAndActorsAtBaseline()
    {
        if (!OperatingSystem.IsLinux())
        {
            _output.WriteLine("skipped: counts file descriptors through /proc/self/fd");
            return;
        }

        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Props.Create<EchoHandler>());
        await CycleAsync(server, 1);
        var before = LeakCounts.OpenFileDescriptors();
        for (var i = 2; i <= Cycles - UncollectedCycles; i++)
        {
            await CycleAsync(server, i);
        }

        // As in ConnectionLeakSpec: the last cycles run where no collection can close a forgotten socket for us.
        await LeakCounts.WithoutCollectionsAsync(200L * 1024 * 1024, async () =>
        {
            for (var i = Cycles - UncollectedCycles + 1; i <= Cycles; i++)
            {
                await CycleAsync(server, i);
            }

            await AwaitAssertAsync(async () =>
            {
                server.Node.Tell(GetPeers.Instance);
                Assert.Empty((await ExpectMsgAsync<Peers>()).Connected);
            });
            await AwaitAssertAsync(() =>
            {
                var after = LeakCounts.OpenFileDescriptors();
                _output.WriteLine($"file descriptors: {before} before, {after} after {Cycles} cycles");
                Assert.InRange(after, 0, before + 4);
            }, TimeSpan.FromSeconds(10));
        });

        Assert.Equal(0, await LeakCounts.ConnectionActorsUnderAsync(Sys, server.Node, Cycles + 5));
    }

    private async Task CycleAsync(LanServer server, int i)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.LocalEndPoint);
        if (i % 5 == 0)
        {
            // Plaintext to a TLS node: its handshake fails, and the node must let the socket go.
            await socket.SendAsync(Frame(new Hello("plain", "plain", "lan")), SocketFlags.None);
            var buffer = new byte[256];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }

            return;
        }

        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "lan-actors",
            ClientCertificates = [_client.Certificate],
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        });
        var text = $"cycle {i}";
        await tls.WriteAsync(Frame(new TextMessage(text)));
        Assert.Equal(text, (await ReadAsync(tls))!.GetString("TEXT"));
        if (i % 4 == 0)
        {
            socket.LingerState = new LingerOption(true, 0);
            return;
        }

        await tls.WriteAsync(Frame(new Disconnect("done")));
        Assert.Null(await ReadAsync(tls));
    }

    private static byte[] Frame<T>(T typed)
        where T : ITypedPacket<T>
    {
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write(Packet.From(typed), writer);
        return writer.WrittenSpan.ToArray();
    }

    // The next frame other than PING and PONG; null at the end of the stream (DISCONNECT and the close are skipped over).
    private static async Task<Packet?> ReadAsync(Stream stream)
    {
        var prefix = new byte[4];
        while (true)
        {
            try
            {
                await stream.ReadExactlyAsync(prefix);
            }
            catch (Exception e) when (e is EndOfStreamException or IOException)
            {
                // The node closes once it has the client's DISCONNECT; over TLS the client may see that as a reset.
                return null;
            }

            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
            await stream.ReadExactlyAsync(body);
            var packet = Packet.Parse(body);
            if (packet.Type is PacketTypes.Disconnect)
            {
                continue;
            }

            return packet;
        }
    }
}
