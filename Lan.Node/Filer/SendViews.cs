using System.Globalization;
using Lan.Actors.Filer;
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

/// <summary>One line per transfer started, completed or failed: for redirected output and logs.</summary>
internal sealed class PlainSendView(TextWriter output) : ISendView
{
    public void Started(TransferStarted started) => output.WriteLine(started.From > 0
        ? string.Create(CultureInfo.InvariantCulture, $"resuming {started.Name} at {started.From} of {started.Size} bytes")
        : string.Create(CultureInfo.InvariantCulture, $"sending {started.Name} ({started.Size} bytes)"));

    public void Progress(TransferProgress progress)
    {
    }

    public void Completed(TransferCompleted completed) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {completed.Name} ({completed.Size} bytes)"));

    public void Interrupted(TransferInterrupted interrupted, TimeSpan resumeWait) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"interrupted {interrupted.Name} at {interrupted.Bytes} of {interrupted.Size} bytes: {interrupted.Reason}; waiting up to {resumeWait.TotalSeconds:0.#} s to resume"));

    public void Failed(string name, string reason) => output.WriteLine($"failed {name}: {reason}");
}

/// <summary>A Spectre.Console progress bar per file (bytes, rate, time left); failures are printed above the bars.</summary>
internal sealed class ProgressSendView(ProgressContext context, IAnsiConsole console) : ISendView
{
    private ProgressTask? _task;

    public void Started(TransferStarted started)
    {
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
    }

    public void Interrupted(TransferInterrupted interrupted, TimeSpan resumeWait) =>
        console.MarkupLineInterpolated(
            $"[yellow]interrupted {interrupted.Name} at {interrupted.Bytes} of {interrupted.Size} bytes: {interrupted.Reason}; waiting up to {resumeWait.TotalSeconds:0.#} s to resume[/]");

    public void Failed(string name, string reason)
    {
        _task?.StopTask();
        _task = null;
        console.MarkupLineInterpolated($"[red]failed {name}: {reason}[/]");
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
