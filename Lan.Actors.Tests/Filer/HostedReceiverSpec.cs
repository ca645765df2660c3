using System.Net;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Filer;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>A file receiver added in Akka.Hosting's style, as servers, peers and registries are (<c>HostingSpec</c>).</summary>
public sealed class HostedReceiverSpec(ITestOutputHelper output) : LanTestKit("lan.tcp.port = 0", output), IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task AddLanReceiver_StartsWithTheHost_IsInTheRegistry_AndADeciderAddedWithWithActorsAnswersItsOffers()
    {
        var port = LanTestConfiguration.FreeTcpPort();
        var inbox = _temp.Sub("inbox");
        var source = TempFolder.WriteFile(_temp.Sub("outbox"), "report.bin", 10_000);
        var offers = CreateTestProbe();
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("office", builder => builder
                .WithActors((system, registry) => registry.Register<AcceptingDecider>(system.ActorOf(Props.Create(() => new AcceptingDecider(offers.Ref)), "decider")))
                .AddLanReceiver(LanTestConfiguration.Build($"lan.tcp.port = {port}"), (_, registry) => new FileReceiverOptions(inbox) { Decider = registry.Get<AcceptingDecider>() })))
            .Build();
        await host.StartAsync();
        try
        {
            Assert.False(host.Services.GetRequiredService<ActorRegistry>().Get<LanReceiverNode>().IsNobody());
            var completed = CreateTestProbe();
            host.Services.GetRequiredService<ActorSystem>().EventStream.Subscribe(completed.Ref, typeof(TransferCompleted));
            var sender = Sys.ActorOf(FileSenderHandler.Props());
            LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(new IPEndPoint(IPAddress.Loopback, port));

            sender.Tell(new SendFile(source));

            Assert.Equal("report.bin", offers.ExpectMsg<OfferReceived>(Patience).Name);
            var done = completed.ExpectMsg<TransferCompleted>(Patience);
            Assert.Equal(Path.Combine(inbox, "report.bin"), done.Path);
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(source)), SHA256.HashData(File.ReadAllBytes(done.Path)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    /// <summary>Accepts every offer and tells the spec about it.</summary>
    private sealed class AcceptingDecider : ReceiveActor
    {
        public AcceptingDecider(IActorRef spec) => Receive<OfferReceived>(offer =>
        {
            spec.Tell(offer);
            Sender.Tell(new AcceptOffer(offer.Ticket));
        });
    }
}
