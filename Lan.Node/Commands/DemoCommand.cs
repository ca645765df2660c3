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
        var system = ActorSystem.Create("lan-demo", HoconConfig.Empty, new ActorSystemSetup(Logger: logger));
        output.WriteLine($"actor system {system} started");
        // alice's line reaches bob and carol (2); bob's "!crash" trips both listeners, and each says it is
        // back to the other two (4); carol's line reaches alice and bob (2).
        const int expectedLines = 8;
        var allHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transcript = system.ActorOf(Props.Create(() => new Transcript(output, expectedLines, allHeard)), "transcript");
        var room = system.ActorOf(Props.Create(() => new ChatRoom(transcript)), "room");
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            room.Tell(new Join(name), ActorRefs.NoSender);
        }
        room.Tell(new Say("alice", "hello, LAN"), ActorRefs.NoSender);
        room.Tell(new Say("bob", "!crash"), ActorRefs.NoSender);
        room.Tell(new Say("carol", "still here"), ActorRefs.NoSender);
        var finished = await Task.WhenAny(allHeard.Task, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        if (finished != allHeard.Task)
        {
            output.WriteLine($"the demo did not hear all {expectedLines} lines within 10 s");
            await system.Terminate().ConfigureAwait(false);
            return 1;
        }
        await system.Terminate().ConfigureAwait(false);
        output.WriteLine("actor system terminated: every actor stopped, children before parents");
        return 0;
    }

    /// <summary>Writes lines in arrival order and completes <c>allHeard</c> at the expected count.</summary>
    private sealed class Transcript : ReceiveActor
    {
        public Transcript(TextWriter output, int expectedLines, TaskCompletionSource allHeard)
        {
            var written = 0;
            Receive<string>(line =>
            {
                output.WriteLine("  " + line);
                if (++written == expectedLines)
                {
                    allHeard.TrySetResult();
                }
            });
        }
    }
}
