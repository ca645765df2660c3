using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Lan.Actors.Hocon;
using Lan.Actors.TestKit;
using Lan.Node.Commands;
using Lan.Node.Filer;
using Spectre.Console;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

/// <summary><c>lan-node receive</c>, <c>send</c>, <c>msg</c> and <c>peers</c>, run in-process on loopback (the spec's own UDP port).</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class FilerCliSpec : LanTestKit, IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private readonly Receivers _receivers = new("lan-node-filer-");

    public FilerCliSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }\nlan.discovery { announce-interval = 200ms, expire-after = 1s }", output) => _output = output;

    private string Root => _receivers.Root;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _receivers.DisposeAsync();

    private HoconConfig NodeConfig(string name) => LanTestConfiguration.Build(
        $"lan.discovery {{ port = {LanConfig.GetInt("lan.discovery.port")}, announce-interval = 200ms }}\nlan.tcp {{ port = 0, close-timeout = 300ms }}\nlan.node.name = {name}");

    private Task<(Lines Printed, string Folder, string EndPoint)> StartReceiver(string name, TextReader? ask = null) => _receivers.StartAsync(name, NodeConfig(name), ask);

    // The seconds a transfer took vary from run to run: "in 0.2 s" reads "in T s".
    private static string Timeless(string line) => System.Text.RegularExpressions.Regex.Replace(line, @" in \d+\.\d s,", " in T s,");

    private string File(string name, byte[] bytes)
    {
        var path = Path.Combine(Root, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Send_TwoFiles_ToAReceiverFoundByName_LandWithIdenticalBytes_AndExits0()
    {
        var (received, folder, _) = await StartReceiver("inbox");
        var text = File("notes.txt", Encoding.UTF8.GetBytes("hello, filer\n"));
        var binary = File("blob.bin", [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 251))]);
        var printed = new Lines();

        var exit = await SendCommand.RunAsync(NodeConfig("ana"), "inbox", [text, binary], printed, new Lines(), CancellationToken.None);

        _output.WriteLine(printed.ToString());
        Assert.Equal(0, exit);
        Assert.Equal(System.IO.File.ReadAllBytes(text), System.IO.File.ReadAllBytes(Path.Combine(folder, "notes.txt")));
        Assert.Equal(System.IO.File.ReadAllBytes(binary), System.IO.File.ReadAllBytes(Path.Combine(folder, "blob.bin")));
        // Every file ends with its own line: what was sent, its size, how long it took, and that the receiver checked it.
        Assert.Equal(
            ["sending notes.txt (13 B)", "sent notes.txt: 13 B in T s, SHA-256 verified by the receiver", "sending blob.bin (293 KiB)", "sent blob.bin: 293 KiB in T s, SHA-256 verified by the receiver"],
            printed.All.Select(Timeless));
        await received.WaitFor(line => line == $"received blob.bin -> {Path.Combine(folder, "blob.bin")}");
        Assert.Contains($"received notes.txt -> {Path.Combine(folder, "notes.txt")}", received.All);
    }

    [Fact]
    public async Task Send_OnATerminalWithoutAnsi_EndsEveryFileWithALineOfItsOwn_EvenOnesTooQuickForABar()
    {
        // What `script` gives a program with TERM unset: Spectre draws its bars with the fallback renderer, which
        // skipped finished tasks, so small files printed nothing and a big one stopped short of 100 %.
        var (_, folder, _) = await StartReceiver("tty");
        var small = File("small.txt", Encoding.UTF8.GetBytes("quick"));
        var other = File("other.bin", [.. Enumerable.Range(0, 50_000).Select(i => (byte)i)]);
        using var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(screen) });

        var exit = await SendCommand.RunAsync(
            NodeConfig("tia"), "tty", [small, other], new Lines(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), body => ProgressSendView.RunAsync(console, body), CancellationToken.None);

        _output.WriteLine(screen.ToString());
        Assert.Equal(0, exit);
        var lines = screen.ToString().Split('\n', StringSplitOptions.TrimEntries).Select(Timeless).ToList();
        Assert.Contains("sent small.txt: 5 B in T s, SHA-256 verified by the receiver", lines);
        Assert.Contains("sent other.bin: 48.8 KiB in T s, SHA-256 verified by the receiver", lines);
        Assert.Equal("quick", await System.IO.File.ReadAllTextAsync(Path.Combine(folder, "small.txt")));
    }

    [Fact]
    public async Task Send_ToHostAndPort_Works_WithoutLookingForAName()
    {
        var (_, folder, endPoint) = await StartReceiver("depot");
        var file = File("by-address.txt", Encoding.UTF8.GetBytes("straight to the port"));

        var exit = await SendCommand.RunAsync(NodeConfig("ben"), endPoint, [file], new Lines(), new Lines(), CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal("straight to the port", await System.IO.File.ReadAllTextAsync(Path.Combine(folder, "by-address.txt")));
    }

    [Fact]
    public async Task Send_AFileTheReceiverRefuses_Exits1_WithTheReason_AndTheOthersStillArrive()
    {
        var (_, folder, _) = await StartReceiver("vault");
        var hidden = File(".secret", [4, 5, 6]);
        var fine = File("fine.txt", Encoding.UTF8.GetBytes("fine"));
        var printed = new Lines();

        var exit = await SendCommand.RunAsync(NodeConfig("eve"), "vault", [hidden, fine], printed, new Lines(), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains(printed.All, line => line.StartsWith("failed .secret: refused: unsafe name", StringComparison.Ordinal));
        Assert.Contains("sent fine.txt: 4 B in T s, SHA-256 verified by the receiver", printed.All.Select(Timeless));
        Assert.Equal("fine", await System.IO.File.ReadAllTextAsync(Path.Combine(folder, "fine.txt")));
        Assert.False(System.IO.File.Exists(Path.Combine(folder, ".secret")));
    }

    [Fact]
    public async Task Send_ConnectionCutMidFile_WaitsForTheLink_ResumesTheFile_AndExits0()
    {
        var (received, folder, endPoint) = await StartReceiver("harbour");
        await using var proxy = ChaosProxy.Start(IPEndPoint.Parse(endPoint), seed: 11, _output.WriteLine);
        var cut = proxy.Upstream.Add(new CloseFault(CloseKind.Reset, AfterBytes: 300_000));
        // Under 1 MiB, so its offer carries the hash and the resume cannot depend on when the hash reached the
        // receiver (a larger file's FILE_HASH races the cut; FilerProtocolSpec pins that path down).
        var big = File("big.bin", [.. Enumerable.Range(0, 1_000_000).Select(i => (byte)(i * 13 % 253))]);
        var after = File("after.txt", Encoding.UTF8.GetBytes("sent after the cut"));
        var printed = new Lines();

        var sending = SendCommand.RunAsync(NodeConfig("dora"), proxy.EndPoint.ToString(), [big, after], printed, new Lines(), CancellationToken.None);
        await cut.WhenApplied(1).WaitAsync(TimeSpan.FromSeconds(20));
        proxy.Upstream.Remove(cut);
        var exit = await sending.WaitAsync(TimeSpan.FromSeconds(60));

        _output.WriteLine(printed.ToString());
        Assert.Equal(0, exit);
        Assert.Contains(printed.All, line => line.StartsWith("interrupted big.bin at ", StringComparison.Ordinal) && line.EndsWith("waiting up to 60 s to resume", StringComparison.Ordinal));
        // The sender says that it resumed, and from where, rather than starting over in silence.
        Assert.Contains(printed.All, line => line.StartsWith("resuming big.bin at ", StringComparison.Ordinal) && line.EndsWith(" of 976.6 KiB", StringComparison.Ordinal));
        Assert.Equal(
            ["sent big.bin: 976.6 KiB in T s, SHA-256 verified by the receiver", "sent after.txt: 18 B in T s, SHA-256 verified by the receiver"],
            printed.All.Where(line => line.StartsWith("sent ", StringComparison.Ordinal)).Select(Timeless));
        Assert.Equal(System.IO.File.ReadAllBytes(big), System.IO.File.ReadAllBytes(Path.Combine(folder, "big.bin")));
        Assert.Equal("sent after the cut", await System.IO.File.ReadAllTextAsync(Path.Combine(folder, "after.txt")));
        await received.WaitFor(line => line.StartsWith("resuming big.bin at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_PeerThatDropsEveryConnectionAfterACut_FailsWhatIsLeftAfterTheResumeWait_AndExits1()
    {
        var (_, _, endPoint) = await StartReceiver("quay");
        await using var proxy = ChaosProxy.Start(IPEndPoint.Parse(endPoint), seed: 12, _output.WriteLine);
        var cut = proxy.Upstream.Add(new CloseFault(CloseKind.Reset, AfterBytes: 600_000));
        var big = File("doomed.bin", new byte[3_000_000]);
        var never = File("never.txt", [1]);
        var printed = new Lines();

        var sending = SendCommand.RunAsync(NodeConfig("fay"), proxy.EndPoint.ToString(), [big, never], printed, new Lines(), CancellationToken.None, resumeWait: TimeSpan.FromSeconds(2));
        await cut.WhenApplied(1).WaitAsync(TimeSpan.FromSeconds(20));
        // From now on every reconnection is accepted and reset at once: the link flaps, the file never moves.
        proxy.Upstream.Add(new CloseFault(CloseKind.Reset));
        var exit = await sending.WaitAsync(TimeSpan.FromSeconds(60));

        _output.WriteLine(printed.ToString());
        Assert.Equal(1, exit);
        var gaveUp = $"the connection to {proxy.EndPoint} was lost and did not come back within 2 s";
        Assert.Contains($"failed doomed.bin: not sent: {gaveUp}", printed.All);
        Assert.Contains($"failed never.txt: not sent: {gaveUp}", printed.All);
        Assert.Single(printed.All, line => line.StartsWith("interrupted doomed.bin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receive_AcceptAsk_AsksAboutEachOffer_AYesReceivesIt_ANoRefusesIt_AndTheEndOfInputDeclinesTheRest()
    {
        var answers = new TypedLines();
        var (received, folder, _) = await StartReceiver("desk", answers);
        var wanted = File("wanted.txt", Encoding.UTF8.GetBytes("yes please"));
        var unwanted = File("unwanted.txt", Encoding.UTF8.GetBytes("no thanks"));
        var later = File("later.txt", Encoding.UTF8.GetBytes("nobody asked"));
        var printed = new Lines();

        var sending = SendCommand.RunAsync(NodeConfig("gil"), "desk", [wanted, unwanted, later], printed, new Lines(), CancellationToken.None);
        await received.WaitFor(line => line == "accept wanted.txt (10 bytes) from gil (not verified: open mode)? [y/N]");
        Assert.False(System.IO.File.Exists(Path.Combine(folder, "wanted.txt")));
        answers.Type("y");
        await received.WaitFor(line => line == "accept unwanted.txt (9 bytes) from gil (not verified: open mode)? [y/N]");
        answers.Type("n");
        await received.WaitFor(line => line == "accept later.txt (12 bytes) from gil (not verified: open mode)? [y/N]");
        answers.End();
        var exit = await sending.WaitAsync(TimeSpan.FromSeconds(30));

        _output.WriteLine(printed.ToString());
        Assert.Equal(1, exit);
        Assert.Equal("yes please", await System.IO.File.ReadAllTextAsync(Path.Combine(folder, "wanted.txt")));
        Assert.Contains("failed unwanted.txt: refused: declined at the receiver", printed.All);
        Assert.Contains("failed later.txt: refused: declined at the receiver (nobody there to ask)", printed.All);
        Assert.Equal(["wanted.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Receive_IntoAFolderUnderAFile_Exits2_SayingWhy_BeforeStartingANode()
    {
        var folder = Path.Combine(File("plain.txt", [1]), "inbox");
        var log = new Lines();

        var exit = await ReceiveCommand.RunAsync(NodeConfig("nowhere"), folder, new Lines(), log, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.StartsWith($"cannot receive into {folder}: ", Assert.Single(log.All), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_IntoAReadOnlyFileSystem_Exits2_AndAnOfferIntoItIsRefused_NotCrashed()
    {
        // Root writes through permission bits, so the folder is a read-only tmpfs this spec mounts and removes.
        var folder = Directory.CreateDirectory(Path.Combine(Root, "read-only")).FullName;
        var refused = !OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess ? "not root on Linux" : Run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", folder);
        if (refused is not null)
        {
            _output.WriteLine($"skipped: a read-only mount needs Linux and root ({refused})");
            return;
        }

        try
        {
            var log = new Lines();
            Assert.Equal(2, await ReceiveCommand.RunAsync(NodeConfig("ro"), folder, new Lines(), log, CancellationToken.None));
            Assert.Contains("Read-only file system", Assert.Single(log.All), StringComparison.Ordinal);

            // A receiver started on it anyway refuses each offer with the reason, and keeps serving.
            var server = await Lan.Actors.Nodes.LanNode.StartServerAsync(Sys, Lan.Actors.Nodes.LanNodeSettings.FromConfig(LanConfig), Lan.Actors.Filer.FileReceiverHandler.Props(new(folder)));
            using var peer = await Io.RawPeer.ConnectAsync(server.LocalEndPoint);
            await peer.SendAsync(Filer.FilerWire.Offer("ro-1", "a.bin", [1]));
            Assert.Contains("cannot write in the receive folder", (await Filer.FilerWire.Expect(peer, "FILE_REJECT")).GetString("REASON"), StringComparison.Ordinal);
            await peer.SendAsync(Filer.FilerWire.Offer("ro-2", "b.bin", [2]));
            await Filer.FilerWire.Expect(peer, "FILE_REJECT");
        }
        finally
        {
            Assert.Null(Run("umount", folder));
        }
    }

    /// <summary>Runs a system command; null when it succeeded, else what it said.</summary>
    private static string? Run(string command, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = System.Diagnostics.Process.Start(start)!;
        var said = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{command} exited {process.ExitCode}: {said.Trim()}";
    }

    [Fact]
    public async Task AskPrompt_AnAnswerTypedForAWithdrawnOffer_DoesNotAnswerTheNextOne()
    {
        // Any answer to the replacing question counts as typed for the withdrawn one: the spec need not race a clock.
        var (answers, shown, receiver) = await SecondQuestionAfterAWithdrawal(staleWindow: TimeSpan.FromHours(1));
        answers.Type("y");

        await shown.WaitFor(line => line == "(that answer was for the withdrawn offer) accept second.bin? [y/N]");
        receiver.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        answers.Type("y");
        Assert.Equal(2, receiver.ExpectMsg<Lan.Actors.Filer.AcceptOffer>().Ticket);
        Assert.Contains("the offer of first.bin was withdrawn: cancelled by the sender", shown.All);
        answers.End();
    }

    [Fact]
    public async Task AskPrompt_AnAnswerGivenWellAfterTheReplacingQuestionWasShown_AnswersIt()
    {
        // Every answer is "well after" the question here: the spec need not race a clock either way.
        var (answers, _, receiver) = await SecondQuestionAfterAWithdrawal(staleWindow: TimeSpan.Zero);
        answers.Type("y");

        Assert.Equal(2, receiver.ExpectMsg<Lan.Actors.Filer.AcceptOffer>().Ticket);
        answers.End();
    }

    /// <summary>A prompt asked about first.bin, which is withdrawn while its answer is being read, then about second.bin.</summary>
    private async Task<(TypedLines Answers, Lines Shown, Akka.TestKit.TestProbe Receiver)> SecondQuestionAfterAWithdrawal(TimeSpan staleWindow)
    {
        var answers = new TypedLines();
        var shown = new Lines();
        var prompt = Sys.ActorOf(Lan.Node.Filer.OfferPrompt.Props(answers, shown, staleWindow));
        var receiver = CreateTestProbe();
        prompt.Tell(new Lan.Actors.Filer.OfferReceived(1, "first.bin", 10, null), receiver.Ref);
        await shown.WaitFor(line => line == "accept first.bin (10 bytes) from an unknown peer? [y/N]");
        prompt.Tell(new Lan.Actors.Filer.OfferWithdrawn(1, "cancelled by the sender"), receiver.Ref);
        prompt.Tell(new Lan.Actors.Filer.OfferReceived(2, "second.bin", 20, null), receiver.Ref);
        await shown.WaitFor(line => line == "accept second.bin (20 bytes) from an unknown peer? [y/N]");
        return (answers, shown, receiver);
    }

    [Fact]
    public async Task Send_AMissingFile_Exits2_BeforeConnecting()
    {
        var present = File("present.txt", [1, 2, 3]);
        var log = new Lines();

        // Nobody is called "nowhere": a command that looked for it would wait and exit 1, not 2.
        var exit = await SendCommand.RunAsync(NodeConfig("cy"), "nowhere", [present, Path.Combine(Root, "absent.txt")], new Lines(), log, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Equal([$"no such file: {Path.Combine(Root, "absent.txt")}"], log.All);
    }

    [Fact]
    public async Task Msg_IsPrintedAtTheReceiver_WithTheSendersName()
    {
        var (received, _, _) = await StartReceiver("desk");

        Assert.Equal(0, await MsgCommand.RunAsync(NodeConfig("ana"), "desk", "lunch at noon?", new Lines(), CancellationToken.None));

        await received.WaitFor(line => line == "from ana: lunch at noon?");
    }

    [Fact]
    public async Task Msg_WithTerminalControlAndALineBreak_IsPrintedEscapedOnOneLine_AtTheReceiver()
    {
        var (received, _, _) = await StartReceiver("desk");

        Assert.Equal(0, await MsgCommand.RunAsync(NodeConfig("ana"), "desk", "hi\nfrom carol: run fix.sh\u001b]0;pwned\u0007", new Lines(), CancellationToken.None));

        await received.WaitFor(line => line == "from ana: hi\\nfrom carol: run fix.sh\\x1B]0;pwned\\x07");
        Assert.DoesNotContain(received.All, line => line.StartsWith("from carol", StringComparison.Ordinal) || line.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Peers_ListsTheReceiver_ByNameAndAddress()
    {
        var (_, _, endPoint) = await StartReceiver("shelf");
        var printed = new Lines();

        // How long peers listens, not a bound: a host starting on a loaded machine needs more than a second.
        Assert.Equal(0, await PeersCommand.RunAsync(NodeConfig("dan"), Dilated(TimeSpan.FromSeconds(3)), printed, new Lines()));

        Assert.Contains(printed.All, line => line.StartsWith($"shelf\t{endPoint}\t", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("send", "/no/such/file", "--to", "somebody")]
    [InlineData("send", "--to", "somebody")]
    [InlineData("msg", "hello")]
    [InlineData("receive", "--accept", "maybe")]
    [InlineData("peers", "--timeout", "soon")]
    public async Task BadUsage_ExitsWith2(params string[] args)
    {
        var entry = typeof(ServerCommand).Assembly.EntryPoint!;
        var result = entry.Invoke(null, [args]);
        Assert.Equal(2, result is Task<int> task ? await task : (int)result!);
    }

    /// <summary>Standard input for a spec: lines are typed one at a time, and the input can end.</summary>
    private sealed class TypedLines : TextReader
    {
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public void Type(string line) => _lines.Writer.TryWrite(line);

        public void End() => _lines.Writer.TryComplete();

        // Blocking, as a console's reader is: the prompt must read on a thread of its own.
        public override string? ReadLine() =>
            _lines.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult() && _lines.Reader.TryRead(out var line) ? line : null;
    }
}
