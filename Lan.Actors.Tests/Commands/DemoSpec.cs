using Lan.Actors.Tests.Io;
using Lan.Node.Commands;
using Lan.Node.Demo;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// <c>lan-node demo</c> over real loopback sockets. It counts the process's sockets before and after, so it runs
/// alone (which also keeps it apart from the other specs that install the process's Serilog logger).
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class DemoSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeSecondsWithSeedOne_PrintsItsSummary_EveryEndMatches_NothingIsLeft_AndExitsZero()
    {
        using var printed = new StringWriter();
        using var errors = new StringWriter();

        var exit = await DemoCommand.RunAsync(new DemoPlan(Clients: 10, TimeSpan.FromSeconds(3), Seed: 1), null, null, verbose: false, printed, errors);

        var text = printed.ToString();
        output.WriteLine(text);
        output.WriteLine(errors.ToString());
        Assert.Equal(0, exit);
        Assert.Contains("demo: 10 chaos clients at a time for 3 s, seed 1", text, StringComparison.Ordinal);
        Assert.Matches(@"summary: \d+ connections, \d+ messages, \d+ reconnections", text);
        // A line a second, the last second's included (it was skipped when it came less than 1 s after the one before).
        var seconds = text.Split('\n').Select(line => line.Trim()).Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\d+s ")).Select(line => line.Split(' ')[0]).ToList();
        Assert.Equal("0s", seconds[0]);
        Assert.Equal("3s", seconds[^1]);
        Assert.Contains("every connection ended for the reason supervision assigned to what its sides did", text, StringComparison.Ordinal);
        Assert.Contains("left over: 0 peers at the server, 0 actors under /user, 0 sockets", text, StringComparison.Ordinal);
        // Routine ends are told once, in the connection's own line, never as an ERROR with a stack trace.
        Assert.DoesNotContain(" ERR] ", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadConfigurationFile_ExitsTwo_WithItsLocation()
    {
        var file = Path.Combine(Path.GetTempPath(), $"demo-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, "lan.tcp.heartbeat-interval = soon\n");
        try
        {
            using var printed = new StringWriter();
            using var errors = new StringWriter();
            var exit = await DemoCommand.RunAsync(new DemoPlan(1, TimeSpan.FromSeconds(1), 1), file, null, false, printed, errors);
            Assert.Equal(2, exit);
            Assert.Contains(Path.GetFileName(file), errors.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
