using System.Collections.Concurrent;
using System.Text;

namespace Lan.Actors.Tests.Commands;

/// <summary>A writer that keeps whole lines and can be read while commands write to it from their actors.</summary>
internal sealed class Lines : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();
    // Completed (and replaced) each time a line is added, so a waiter wakes on the line, not on a poll.
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> All => [.. _lines];

    public override void Write(char value)
    {
        lock (_partial)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
                Interlocked.Exchange(ref _added, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value) => Write(value + "\n");

    public override string ToString() => string.Join('\n', _lines);

    /// <summary>The first line that matches, waking on each line written, for at most 15 s.</summary>
    public async Task<string> WaitFor(Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            // Taken before looking, so a line written in between is not missed.
            var added = Volatile.Read(ref _added).Task;
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            try
            {
                await added.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no such line in:\n{this}");
            }
        }
    }
}
