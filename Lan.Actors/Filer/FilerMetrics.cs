using System.Collections.Concurrent;
using Lan.Actors.Metrics;

namespace Lan.Actors.Filer;

/// <summary>
/// The filer's share of <see cref="LanMetrics"/>, read off the events its handlers publish: a transfer is active from its
/// <see cref="TransferStarted"/> to its end (completed, failed or interrupted), and its bytes are counted as they are
/// acknowledged (sending) or written (receiving).
/// </summary>
internal static class FilerMetrics
{
    // Bytes counted so far per transfer in progress; bounded by the transfers a node allows at once.
    private static readonly ConcurrentDictionary<(string Id, TransferDirection Direction), long> Active = new();

    public static void Observe(object @event)
    {
        switch (@event)
        {
            case TransferStarted started when Active.TryAdd((started.Id, started.Direction), started.From):
                LanMetrics.TransfersActive.Add(1, Tag(started.Direction));
                break;
            case TransferProgress progress:
                Moved(progress.Id, progress.Direction, progress.Bytes);
                break;
            case TransferCompleted completed:
                Moved(completed.Id, completed.Direction, completed.Size);
                End(completed.Id, completed.Direction);
                break;
            case TransferFailed failed:
                End(failed.Id, failed.Direction);
                break;
            case TransferInterrupted interrupted:
                End(interrupted.Id, TransferDirection.Sending);
                break;
        }
    }

    private static void Moved(string id, TransferDirection direction, long upTo)
    {
        var key = (id, direction);
        if (Active.TryGetValue(key, out var counted) && upTo > counted && Active.TryUpdate(key, upTo, counted))
        {
            LanMetrics.TransferBytes.Add(upTo - counted, Tag(direction));
        }
    }

    private static void End(string id, TransferDirection direction)
    {
        if (Active.TryRemove((id, direction), out _))
        {
            LanMetrics.TransfersActive.Add(-1, Tag(direction));
        }
    }

    private static KeyValuePair<string, object?> Tag(TransferDirection direction) =>
        LanMetrics.Tag(LanMetrics.TransferDirectionTag, direction == TransferDirection.Sending ? "send" : "receive");
}
