using System.CommandLine;
using System.Net;
using Akka.Actor;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node client [--server NAME | HOST:PORT] [--config FILE]</c>: connects to a server (the first found,
/// one by name, or an address), sends each line of standard input as a <c>MESSAGE</c> {TEXT}, prints what
/// arrives, and reconnects when the server comes back. <c>/quit</c> or the end of input says DISCONNECT and exits 0.
/// </summary>
public static class ClientCommand
{
    /// <summary>Builds the <c>client</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var server = new Option<string?>("--server") { Description = "a server's name, or HOST:PORT; the first server found when left out" };
        var command = new Command("client", "Connect to a server, send lines from standard input, print what arrives");
        node.AddTo(command);
        command.Options.Add(server);
        command.SetAction(async (parse, cancel) =>
        {
            var target = parse.GetValue(server);
            var address = target is not null && IPEndPoint.TryParse(target, out var parsed) && parsed.Port != 0 ? parsed : null;
            HoconConfig config;
            try
            {
                config = node.Load(parse, ("lan.client.auto-connect", address is not null ? "none" : target ?? "first"));
            }
            catch (ConfigException e)
            {
                return NodeHost.ConfigError(e, parse.InvocationConfiguration.Error);
            }

            return await RunAsync(config, address, Console.In, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the client over <paramref name="input"/> and <paramref name="output"/>; logs go to <paramref name="log"/>.</summary>
    public static async Task<int> RunAsync(HoconConfig config, IPEndPoint? server, TextReader input, TextWriter output, TextWriter log, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var logger = ProcessLogging.Configure(config, log);
        using var host = NodeHost.Build(builder => builder.AddLanClient(config, Props.Create(() => new ConsoleClient(output)), "client"));
        await host.StartAsync(cancel).ConfigureAwait(false);
        var system = host.System();
        var client = await system.ActorSelection("/user/client").ResolveOne(TimeSpan.FromSeconds(5), cancel).ConfigureAwait(false);
        var console = await system.ActorSelection("/user/client/handler").ResolveOne(TimeSpan.FromSeconds(5), cancel).ConfigureAwait(false);
        if (server is not null)
        {
            client.Tell(new ConnectTo(server));
        }

        while (!cancel.IsCancellationRequested && await input.ReadLineAsync(cancel).ConfigureAwait(false) is { } line)
        {
            if (line.Trim() == "/quit")
            {
                break;
            }

            // The fourth seed's trap: an empty line is never sent.
            if (line.Trim().Length > 0)
            {
                console.Tell(new ConsoleClient.Say(line));
            }
        }

        // At the end of input, every line typed leaves and the answers have a moment to arrive before DISCONNECT.
        try
        {
            await console.Ask<ConsoleClient.Flushed>(ConsoleClient.Flush.Instance, TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            await output.WriteLineAsync("* no server answered in time; lines typed were not sent").ConfigureAwait(false);
        }

        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Done;
    }

    /// <summary>The client's handler: prints what arrives, sends what is typed, keeps lines typed before the connection.</summary>
    private sealed class ConsoleClient : ReceiveActor, IWithTimers
    {
        private const int MaxWaitingLines = 1000;
        private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
        private readonly Queue<string> _waiting = new();
        private IActorRef? _connection;
        private IActorRef? _flushRequester;
        private DateTime _lastReceived = DateTime.UtcNow;

        public ITimerScheduler Timers { get; set; } = null!;

        public ConsoleClient(TextWriter output)
        {
            Receive<Connected>(connected =>
            {
                _connection = connected.Connection;
                output.WriteLine($"* connected to {connected.Peer.EndPoint}");
                while (_waiting.TryDequeue(out var line))
                {
                    Send(line);
                }
            });
            Receive<Identified>(identified => output.WriteLine($"* {identified.Peer.Name} welcomes you"));
            Receive<Received>(received =>
            {
                _lastReceived = DateTime.UtcNow;
                output.WriteLine(Describe(received.Packet));
            });
            Receive<Disconnected>(disconnected =>
            {
                _connection = null;
                output.WriteLine($"* disconnected: {disconnected.Reason} ({disconnected.Detail})");
            });
            Receive<SendRefused>(refused => output.WriteLine($"* a line was not sent: {refused.Reason}"));
            Receive<Say>(say =>
            {
                if (_connection is not null)
                {
                    Send(say.Text);
                }
                else if (_waiting.Count < MaxWaitingLines)
                {
                    _waiting.Enqueue(say.Text);
                }
                else
                {
                    output.WriteLine("* not connected and 1,000 lines are waiting: line dropped");
                }
            });
            Receive<Flush>(_ =>
            {
                _flushRequester = Sender;
                Timers.StartPeriodicTimer("flush", CheckFlushed.Instance, TimeSpan.FromMilliseconds(100));
            });
            Receive<CheckFlushed>(_ =>
            {
                // Flushed once connected with nothing waiting, and the server has been quiet for a moment.
                if (_connection is not null && _waiting.Count == 0 && DateTime.UtcNow - _lastReceived >= Quiet)
                {
                    Timers.Cancel("flush");
                    _flushRequester?.Tell(Flushed.Instance);
                }
            });
        }

        private void Send(string text) => _connection!.Tell(new Send(Packet.From(new TextMessage(text))));

        private static string Describe(Packet packet) => packet.Type switch
        {
            PacketTypes.Message when packet.TryGet<string>("FROM", out var from) => $"{from}: {packet.GetString("TEXT")}",
            PacketTypes.Message => packet.GetString("TEXT"),
            "JOINED" => $"* {packet.GetString("NAME")} joined",
            "LEFT" => $"* {packet.GetString("NAME")} left ({packet.GetString("REASON")})",
            _ => $"* {packet}",
        };

        public sealed record Say(string Text);

        public sealed record Flush
        {
            public static Flush Instance { get; } = new();
        }

        public sealed record Flushed
        {
            public static Flushed Instance { get; } = new();
        }

        private sealed record CheckFlushed
        {
            public static CheckFlushed Instance { get; } = new();
        }
    }
}
