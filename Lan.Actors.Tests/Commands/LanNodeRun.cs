using System.Diagnostics;
using System.Text;

namespace Lan.Actors.Tests.Commands;

/// <summary>What one run of the built <c>lan-node</c> printed, and how it exited.</summary>
public sealed record LanNodeResult(int ExitCode, string Output, string Error)
{
    /// <summary>Standard error's lines, without empty ones.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Standard output's lines, without empty ones.</summary>
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>
/// The built <c>lan-node</c> as a child process, the honest test of what a user sees: exit code, standard output and
/// standard error apart. Every run is bounded: a process still running at the bound is killed and the spec fails.
/// </summary>
public static class LanNodeRun
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>lan-node <paramref name="args"/></c> to its end, with <paramref name="input"/> as its standard input (closed at once when null).</summary>
    public static async Task<LanNodeResult> RunAsync(string? input, params string[] args)
    {
        using var process = Start(args);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        return await FinishAsync(process).ConfigureAwait(false);
    }

    // Whether this process ignores SIGINT (bit 2 of SigIgn, a hexadecimal mask, in /proc/self/status).
    private static readonly bool InterruptIgnored = OperatingSystem.IsLinux()
        && File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } mask
        && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << 1)) != 0;

    /// <summary>Starts <c>lan-node <paramref name="args"/></c> with its standard streams redirected; the caller finishes it with <see cref="FinishAsync"/>.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(InterruptIgnored ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        ProcessDataHome.ApplyTo(start);
        if (InterruptIgnored)
        {
            // A run started as a shell's background job ignores SIGINT, and a child inherits that: lan-node would
            // never hear the Ctrl+C the specs send it. env gives the child SIGINT's default back before dotnet starts.
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lan-node.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start lan-node");
    }

    /// <summary>Reads both streams to their end and waits for the exit, at most a minute; kills the process past that.</summary>
    public static async Task<LanNodeResult> FinishAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            Assert.Fail($"lan-node {string.Join(' ', process.StartInfo.ArgumentList.Skip(1))} still ran after {Bound.TotalSeconds:0} s\n{await output}\n{await error}");
        }

        return new LanNodeResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>
    /// Writes a configuration into <paramref name="directory"/>: hocon/loopback.conf (nothing leaves this host) with a UDP
    /// discovery port of this run's own, so nodes of other specs and other processes on the machine are never heard.
    /// </summary>
    public static string LoopbackConfig(string directory, string extra = "")
    {
        var loopback = Hocon.ReferenceConfSpec.RepositoryFile("hocon", "loopback.conf").Replace("\\", "/", StringComparison.Ordinal);
        var file = Path.Combine(directory, $"node-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, $"include \"{loopback}\"\nlan.discovery.port = {Lan.Actors.TestKit.LanTestConfiguration.FreeUdpPort()}\n{extra}\n");
        return file;
    }

    /// <summary>Starts <c>lan-node <paramref name="args"/></c> and keeps what it prints, for a spec that acts while it runs.</summary>
    public static RunningNode StartRunning(params string[] args) => new(Start(args));
}

/// <summary>A <c>lan-node</c> still running: its lines so far, a wait for one of them, a signal, and its end.</summary>
public sealed class RunningNode : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _outputDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RunningNode(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Keep(_output, _outputDone, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(_error, _errorDone, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Standard input, for a node that reads lines (client, chat).</summary>
    public StreamWriter Input => _process.StandardInput;

    private static void Keep(StringBuilder into, TaskCompletionSource done, string? line)
    {
        lock (into)
        {
            if (line is null)
            {
                done.TrySetResult();
                return;
            }

            into.Append(line).Append('\n');
        }
    }

    private static string Read(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }

    /// <summary>Waits, at most 30 s, until standard output has a line that <paramref name="match"/> accepts; fails naming what it printed.</summary>
    public Task<string> WaitForOutputLineAsync(Func<string, bool> match) => WaitForLineAsync(_output, _outputDone, match);

    /// <summary>What it has printed so far, both streams, for a failure's message.</summary>
    public string PrintedSoFar => $"--- stdout\n{Read(_output)}--- stderr\n{Read(_error)}";

    /// <summary>Waits, at most 30 s, until standard error has a line that <paramref name="match"/> accepts; fails naming what it printed.</summary>
    public Task<string> WaitForErrorLineAsync(Func<string, bool> match) => WaitForLineAsync(_error, _errorDone, match);

    private async Task<string> WaitForLineAsync(StringBuilder stream, TaskCompletionSource done, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (Read(stream).Split('\n').FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                await done.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                // What it printed last may have come in with its exit: one more look before giving up.
                if (Read(stream).Split('\n').FirstOrDefault(match) is { } last)
                {
                    return last;
                }

                Assert.Fail($"lan-node did not print the line looked for (exited: {_process.HasExited})\n--- stdout\n{Read(_output)}--- stderr\n{Read(_error)}");
            }

            // Polling what a child process printed: there is no event to wait on across the process boundary.
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a signal by name (TERM, INT) with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}")!;
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the end, at most a minute (killed past that), and returns what it printed.</summary>
    public async Task<LanNodeResult> FinishAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"lan-node still ran after 60 s\n--- stdout\n{Read(_output)}--- stderr\n{Read(_error)}");
        }

        await Task.WhenAll(_outputDone.Task, _errorDone.Task).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return new LanNodeResult(_process.ExitCode, Read(_output), Read(_error));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
