using System.CommandLine;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Discovery;
using Lan.Actors.Handlers;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node pair [--name NAME] [--timeout 2m] [--config FILE]</c>, run on two machines at once: each finds the other
/// by discovery (no address typed), they connect over TLS, and both screens show the same six digits unless someone is
/// in the middle. Each person answers y if the codes match; only when both did does each store gain the other (origin
/// Paired). Exit 0 paired, 1 not (a no, a mismatch, nobody found in time), 2 bad usage or open mode.
/// </summary>
public static class PairCommand
{
    /// <summary>META key a pairing node announces, so the other finds it among the servers.</summary>
    internal const string PairingMeta = "PAIRING";

    /// <summary>Builds the <c>pair</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var timeout = new Option<string>("--timeout") { Description = "how long to look for the other node and wait for its answer, e.g. 2m", DefaultValueFactory = _ => "2m" };
        var command = new Command("pair", "Pair with another node running lan-node pair: compare a six-digit code, then each trusts the other");
        node.AddTo(command);
        command.Options.Add(timeout);
        command.SetAction(async (parse, cancel) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (node.LoadChecked(parse) is not { } config || CliValues.Duration(parse.GetValue(timeout)!, "--timeout", error) is not { } wait)
            {
                return ExitCodes.BadUsage;
            }

            return await RunAsync(config, Console.In, parse.InvocationConfiguration.Output, error, wait, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Pairs with the first other node running <c>pair</c> that discovery finds; answers come from <paramref name="input"/>.</summary>
    public static async Task<int> RunAsync(HoconConfig config, TextReader input, TextWriter output, TextWriter log, TimeSpan wait, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var settings = LanNodeSettings.FromConfig(config);
        if (settings.Security.Mode != SecurityMode.Tls)
        {
            await log.WriteLineAsync("pair needs lan.security.mode = tls: in open mode no node proves who it is").ConfigureAwait(false);
            return ExitCodes.BadUsage;
        }

        TrustStore store;
        try
        {
            var security = settings.Security.WithIdentityOf(settings.Node.Name);
            store = security.TrustStore!;
            // The pairing connection must not be refused for want of trust (that is what it is about to establish), and
            // nothing may be stored before both people said yes: it runs under tofu with a store in memory.
            settings = settings with { Security = security with { Trust = TrustPolicy.Tofu, TrustStore = TrustStore.InMemory() } };
        }
        catch (IdentityException e)
        {
            await log.WriteLineAsync($"lan-node: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        var self = settings.Security.Identity!.Id;
        var events = Channel.CreateUnbounded<object>();
        using var logger = ProcessLogging.Configure(config, log);
        using var host = NodeHost.Build(builder => builder.AddHocon(config.ToAkkaConfig(), HoconAddMode.Prepend));
        await host.StartAsync(cancel).ConfigureAwait(false);
        try
        {
            var system = host.System();
            var listener = system.ActorOf(Props.Create(() => new ChannelListener(events.Writer)), "pair-listener");
            // Found first without META (the node announces at once, before SetMeta), then updated with it.
            system.EventStream.Subscribe(listener, typeof(ServerFound));
            system.EventStream.Subscribe(listener, typeof(ServerUpdated));
            var peer = await LanNode.StartPeerAsync(system, settings, PairingHandler.Props(self, listener), "pair").ConfigureAwait(false);
            peer.Node.Tell(new SetMeta(new Dictionary<string, string> { [PairingMeta] = "1" }));
            await output.WriteLineAsync($"pairing as {settings.Node.Name} [{self.Short}]; waiting for another node running lan-node pair...").ConfigureAwait(false);
            var handler = await system.StartedActor("/user/pair/handler", cancel).ConfigureAwait(false);
            return await FollowAsync(peer, handler, self, store, events.Reader, input, output, wait, cancel).ConfigureAwait(false);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<int> FollowAsync(LanPeer peer, IActorRef handler, NodeId self, TrustStore store, ChannelReader<object> events, TextReader input, TextWriter output, TimeSpan wait, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(wait);
        var dialed = false;
        try
        {
            while (true)
            {
                var next = await events.ReadAsync(deadline.Token).ConfigureAwait(false);
                switch (next)
                {
                    case ServerFound or ServerUpdated when !dialed && Pairing(self, Announced(next)) is { } found:
                        dialed = true;
                        peer.Node.Tell(new ConnectTo(found.Server.EndPoint) { Expected = found.Id });
                        break;
                    case PairingCodeReady ready:
                        var name = PeerText.ForDisplay(ready.Peer.Name);
                        var id = NodeId.Parse(ready.Peer.Id);
                        await output.WriteLineAsync($"pairing with {name} [{id.Short}]: code {ready.Code}").ConfigureAwait(false);
                        await output.WriteLineAsync($"does {name} show the same code? [y/N]").ConfigureAwait(false);
                        var answer = await input.ReadLineAsync(deadline.Token).ConfigureAwait(false);
                        var same = answer?.Trim().ToLowerInvariant() is "y" or "yes";
                        handler.Tell(new ConfirmPairing(same), ActorRefs.NoSender);
                        break;
                    case Paired paired:
                        var pairedId = NodeId.Parse(paired.Peer.Id);
                        var alias = TrustStore.ToAlias(paired.Peer.Name);
                        store.Add(pairedId, alias, TrustOrigin.Paired);
                        await output.WriteLineAsync($"paired: {PeerText.ForDisplay(alias)} [{pairedId.Short}] is trusted ({pairedId})").ConfigureAwait(false);
                        return ExitCodes.Done;
                    case PairingFailed failed:
                        await output.WriteLineAsync($"not paired: {failed.Reason}").ConfigureAwait(false);
                        return ExitCodes.Failed;
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            await output.WriteLineAsync($"not paired: no answer within {wait.TotalSeconds:0.#} s").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static ServerInfo? Announced(object discovered) => discovered switch
    {
        ServerFound found => found.Server,
        ServerUpdated updated => updated.Server,
        _ => null,
    };

    // Of two pairing nodes the one with the lower ID connects, so they make one connection, not two.
    private static (ServerInfo Server, NodeId Id)? Pairing(NodeId self, ServerInfo? server) =>
        server is not null && server.Meta.ContainsKey(PairingMeta) && NodeId.TryParse(server.Id, out var other, out _)
            && string.CompareOrdinal(self.ToString(), other.ToString()) < 0
            ? (server, other)
            : null;

    /// <summary>Hands what the pairing handler and discovery tell it to the command's loop.</summary>
    private sealed class ChannelListener : ReceiveActor
    {
        public ChannelListener(ChannelWriter<object> events) => ReceiveAny(message => events.TryWrite(message));
    }
}
