using System.Globalization;
using Lan.Actors.Filer;
using Lan.Actors.Protocol;
using Spectre.Console;

namespace Lan.Node.Filer;

/// <summary>How <c>lan-node send</c> shows its transfers: progress bars on a terminal, plain lines otherwise.</summary>
internal interface ISendView
{
    void Started(TransferStarted started);

    void Progress(TransferProgress progress);

    void Completed(TransferCompleted completed);

    void Interrupted(TransferInterrupted interrupted, TimeSpan resumeWait);

    void Failed(string name, string reason);
}

/// <summary>The words both views use: where a file starts (fresh, resumed, over again) and how it ended.</summary>
internal sealed class SendText
{
    private readonly Dictionary<string, long> _began = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cut = new(StringComparer.Ordinal);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.##} GiB"),
    };

    public string Started(TransferStarted started)
    {
        _began.TryAdd(started.Name, System.Diagnostics.Stopwatch.GetTimestamp());
        return started.From > 0 ? $"resuming {started.Name} at {Size(started.From)} of {Size(started.Size)}"
            : _cut.Contains(started.Name) ? $"starting {started.Name} over ({Size(started.Size)}): the receiver kept none of it"
            : $"sending {started.Name} ({Size(started.Size)})";
    }

    public string Interrupted(TransferInterrupted interrupted, TimeSpan resumeWait)
    {
        _cut.Add(interrupted.Name);
        return string.Create(CultureInfo.InvariantCulture,
            $"interrupted {interrupted.Name} at {Size(interrupted.Bytes)} of {Size(interrupted.Size)}: {PeerText.ForDisplay(interrupted.Reason)}; waiting up to {resumeWait.TotalSeconds:0.#} s to resume");
    }

    public string Completed(TransferCompleted completed)
    {
        var took = _began.Remove(completed.Name, out var began) ? System.Diagnostics.Stopwatch.GetElapsedTime(began) : TimeSpan.Zero;
        _cut.Remove(completed.Name);
        return string.Create(CultureInfo.InvariantCulture, $"sent {completed.Name}: {Size(completed.Size)} in {took.TotalSeconds:0.0} s, SHA-256 verified by the receiver");
    }
}

/// <summary>One line per transfer started, completed or failed: for redirected output and logs.</summary>
internal sealed class PlainSendView(TextWriter output) : ISendView
{
    private readonly SendText _text = new();

    public void Started(TransferStarted started) => output.WriteLine(_text.Started(started));

    public void Progress(TransferProgress progress)
    {
    }

    public void Completed(TransferCompleted completed) => output.WriteLine(_text.Completed(completed));

    public void Interrupted(TransferInterrupted interrupted, TimeSpan resumeWait) => output.WriteLine(_text.Interrupted(interrupted, resumeWait));

    // The reason is often the receiver's own words (its FILE_REJECT or FILE_CANCEL): escaped.
    public void Failed(string name, string reason) => output.WriteLine($"failed {PeerText.ForDisplay(name)}: {PeerText.ForDisplay(reason)}");
}

/// <summary>A Spectre.Console progress bar per file (bytes, rate, time left); failures are printed above the bars.</summary>
internal sealed class ProgressSendView(ProgressContext context, IAnsiConsole console) : ISendView
{
    private readonly SendText _text = new();
    private ProgressTask? _task;

    public void Started(TransferStarted started)
    {
        // Said once, above the bars: a fresh start says nothing more than its bar does.
        if (_text.Started(started) is var line && !line.StartsWith("sending ", StringComparison.Ordinal))
        {
            console.MarkupLine(Markup.Escape(line));
        }

        // A resumed file goes on in the bar of its interrupted attempt.
        _task ??= context.AddTask(Markup.Escape(started.Name), maxValue: Math.Max(started.Size, 1));
        _task.Value = started.From;
    }

    public void Progress(TransferProgress progress)
    {
        if (_task is not null)
        {
            _task.Value = progress.Bytes;
        }
    }

    public void Completed(TransferCompleted completed)
    {
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }

        _task = null;
        // A line of its own, kept above the bars: the bar alone may never be drawn at 100 % (Spectre's fallback
        // renderer, used without ANSI support, skips finished tasks and draws at most once a second).
        console.MarkupLine("[green]" + Markup.Escape(_text.Completed(completed)) + "[/]");
    }

    public void Interrupted(TransferInterrupted interrupted, TimeSpan resumeWait) =>
        console.MarkupLine("[yellow]" + Markup.Escape(_text.Interrupted(interrupted, resumeWait)) + "[/]");

    public void Failed(string name, string reason)
    {
        _task?.StopTask();
        _task = null;
        console.MarkupLineInterpolated($"[red]failed {PeerText.ForDisplay(name)}: {PeerText.ForDisplay(reason)}[/]");
    }

    /// <summary>Runs <paramref name="body"/> with the bars on <paramref name="console"/>.</summary>
    public static Task<T> RunAsync<T>(IAnsiConsole console, Func<ISendView, Task<T>> body) =>
        console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn { Culture = CultureInfo.InvariantCulture },
                new TransferSpeedColumn { Culture = CultureInfo.InvariantCulture },
                new RemainingTimeColumn())
            .StartAsync(context => body(new ProgressSendView(context, console)));
}
