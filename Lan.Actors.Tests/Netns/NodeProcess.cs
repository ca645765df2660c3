using System.Diagnostics;
using Xunit.Abstractions;

using Lan.Actors.Tests.Commands;

namespace Lan.Actors.Tests.Netns;

/// <summary>A line a node printed, with the moment the spec read it (<see cref="Stopwatch.GetTimestamp"/>).</summary>
public sealed record OutputLine(int Index, long At, string Text);

/// <summary>
/// The built <c>lan-node</c> running inside one network namespace (<c>ip netns exec NS dotnet lan-node.dll ...</c>),
/// with every line of its standard output and error kept and time-stamped as it arrives, so specs can wait for a
/// line with a bound and measure between lines of different processes on one clock. Disposing kills it.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private readonly List<OutputLine> _lines = [];
    private readonly Process _process;
    private readonly ITestOutputHelper _output;

    private NodeProcess(string label, Process process, ITestOutputHelper output)
    {
        Label = label;
        _process = process;
        _output = output;
    }

    /// <summary>What the spec calls this node in its messages.</summary>
    public string Label { get; }

    /// <summary>The process id: <c>ip netns exec</c> replaces itself with <c>dotnet</c>, so signals reach the node.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Writes a line to the node's standard input (an answer to <c>pair</c>'s question).</summary>
    public async Task AnswerAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Starts <c>lan-node <paramref name="args"/></c> in <paramref name="netns"/>; only ever inside a testbed namespace.</summary>
    public static NodeProcess Start(string netns, string label, ITestOutputHelper output, params string[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(netns);
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The client reads lines from standard input and quits at its end: keeping it open keeps the client running.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["netns", "exec", netns, "dotnet", Path.Combine(AppContext.BaseDirectory, "lan-node.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        ProcessDataHome.ApplyTo(start);
        var process = new Process { StartInfo = start };
        var node = new NodeProcess(label, process, output);
        process.OutputDataReceived += (_, line) => node.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => node.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Keep(string? text)
    {
        var at = Stopwatch.GetTimestamp();
        if (text is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(new OutputLine(_lines.Count, at, text));
        }
    }

    /// <summary>Every line so far.</summary>
    public OutputLine[] Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    /// <summary>
    /// The first line from index <paramref name="from"/> on that matches, polling the kept output every 10 ms for at
    /// most <paramref name="timeout"/>; fails, naming <paramref name="what"/>, at the timeout or when the node exits.
    /// </summary>
    public async Task<OutputLine> WaitForAsync(string what, Func<string, bool> match, TimeSpan timeout, int from = 0)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var exited = _process.HasExited;
            if (Lines().Skip(from).FirstOrDefault(line => match(line.Text)) is { } found)
            {
                return found;
            }

            if (exited)
            {
                // Let the readers drain what the process wrote last before giving up on it.
                await _process.WaitForExitAsync().ConfigureAwait(false);
                if (Lines().Skip(from).FirstOrDefault(line => match(line.Text)) is { } last)
                {
                    return last;
                }

                Assert.Fail($"{Label} exited with code {_process.ExitCode} before printing {what}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                Assert.Fail($"{Label} did not print {what} within {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a signal by name (TERM, KILL) with kill(1); .NET itself sends only SIGKILL.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}")!;
        await kill.WaitForExitAsync().ConfigureAwait(false);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>True when the node exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the node if it still runs, and writes what it printed to the spec's output (read when a spec fails).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to kill.
        }

        foreach (var line in Lines())
        {
            _output.WriteLine($"{Label}: {line.Text}");
        }

        _process.Dispose();
    }
}
