using System.CommandLine;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Nodes;
using Lan.Node.Demo;
using Lan.Node.Logging;
using Serilog.Core;

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
        var config = LanConfiguration.Parse("", "demo");
        // The log goes to the same writer as the transcript, so a reader sees the crash and the restart in place.
        var lastLine = new LastLineObserver();
        using var logger = ProcessLogging.Configure(config, output, stackTraces: false, observer: lastLine);
        var system = LanActorSystem.Create("lan-demo", config);
        output.WriteLine($"actor system {system.Name} started on Akka.NET");
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
        // Akka's logger writes asynchronously; once this line is out, every line logged before it is too.
        system.Log.Info(LastLineObserver.Text);
        await Task.WhenAny(lastLine.Written, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        await system.Terminate().ConfigureAwait(false);
        output.WriteLine("actor system terminated: every actor stopped, children before parents");
        return 0;
    }

    private sealed class LastLineObserver : ILogEventSink
    {
        public const string Text = "the room heard every line";
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Written => _written.Task;

        public void Emit(Serilog.Events.LogEvent logEvent)
        {
            if (logEvent.MessageTemplate.Text == Text)
            {
                _written.TrySetResult();
            }
        }
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
