namespace Lan.Node.Hosting;

/// <summary>Something a command starts midway (a web page) and disposes at its end, whether or not it was started.</summary>
internal sealed class DisposeLater : IAsyncDisposable
{
    private IAsyncDisposable? _held;

    public void Hold(IAsyncDisposable started) => _held = started;

    public ValueTask DisposeAsync() => _held?.DisposeAsync() ?? ValueTask.CompletedTask;
}
