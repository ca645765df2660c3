using System.CommandLine;
using Lan.Actors.Hocon;
using Lan.Actors.Kernel;
using Lan.Node.Demo;
using Serilog;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node demo</c>: runs a small chat room of actors in one process and prints what happens,
/// including a member that crashes and is restarted by its supervisor. No network traffic.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the <c>demo</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "Run an in-process chat room of actors (no network) and show supervision at work");
        command.SetAction(parse => RunAsync(parse.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>Runs the demo, writing the transcript to <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var logger = new LoggerConfiguration()
            .WriteTo.Console(outputTemplate: "  [{Level:u3}] {Message:lj}{NewLine}")
            .CreateLogger();
        var system = ActorSystem.Create("lan-demo", Config.Empty, new ActorSystemSetup(Logger: logger));
        output.WriteLine($"actor system {system} started");
        var transcript = system.ActorOf(Props.Create(() => new Transcript(output)), "transcript");
        var room = system.ActorOf(Props.Create(() => new ChatRoom(transcript)), "room");
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            room.Tell(new Join(name), ActorRefs.NoSender);
        }
        room.Tell(new Say("alice", "hello, LAN"), ActorRefs.NoSender);
        room.Tell(new Say("bob", "!crash"), ActorRefs.NoSender);
        room.Tell(new Say("carol", "still here"), ActorRefs.NoSender);
        // The transcript answers once everything sent before this question has been written.
        await transcript.Ask<string>(new Transcript.Flush(room), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await system.Terminate().ConfigureAwait(false);
        output.WriteLine("actor system terminated: every actor stopped, children before parents");
        return 0;
    }

    /// <summary>Writes lines in arrival order; answers a flush after the room has relayed everything before it.</summary>
    private sealed class Transcript : ReceiveActor
    {
        public sealed record Flush(IActorRef Room);

        public Transcript(TextWriter output)
        {
            Receive<string>(line => output.WriteLine("  " + line));
            ReceiveAsync<Flush>(async flush =>
            {
                // Two passes through the room: lines it relays in reply to the restart notice come after the first.
                for (var pass = 0; pass < 2; pass++)
                {
                    await flush.Room.Ask<ActorIdentity>(new Identify(pass), TimeSpan.FromSeconds(5));
                }
                Sender.Tell("flushed");
            });
        }
    }
}
