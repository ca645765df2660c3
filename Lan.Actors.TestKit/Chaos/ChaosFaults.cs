namespace Lan.Actors.TestKit;

/// <summary>
/// A fault a <see cref="ChaosProxy"/> injects into one direction of its connections. Add it with
/// <see cref="ChaosDirection.Add"/>, which answers the <see cref="InjectedFault"/> that counts its effect.
/// </summary>
public abstract record ChaosFault
{
    private readonly double _toxicity = 1.0;

    /// <summary>
    /// The probability (0..1) that the fault applies to a connection; 1 (the default) means every connection.
    /// Each connection rolls once per fault, from the proxy's seed, so a fixed seed repeats the same choices.
    /// </summary>
    public double Toxicity
    {
        get => _toxicity;
        init => _toxicity = value is >= 0.0 and <= 1.0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Toxicity), value, "a probability from 0 to 1");
    }

    // Internal, so that a record's printout shows the fault's parameters only.
    internal abstract string AppliedUnit { get; }

    // Checked when the fault is added rather than in constructors, so a `with` expression cannot slip past it.
    internal abstract void Validate();

    private protected static void Require(bool condition, string parameter, string message)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(parameter, message);
        }
    }
}

/// <summary>
/// Holds every chunk read for <paramref name="Latency"/> ± a uniform random <paramref name="Jitter"/> before
/// forwarding it. Chunks keep their order: one whose delay is shorter than its predecessor's leaves right after
/// that predecessor, never before it. <see cref="InjectedFault.Applied"/> counts chunks delayed.
/// </summary>
/// <param name="Latency">The mean delay added to each chunk.</param>
/// <param name="Jitter">The largest deviation from <paramref name="Latency"/>; zero for a fixed delay.</param>
public sealed record LatencyFault(TimeSpan Latency, TimeSpan Jitter = default) : ChaosFault
{
    internal override string AppliedUnit => "chunks delayed";

    internal override void Validate()
    {
        Require(Latency >= TimeSpan.Zero, nameof(Latency), "must not be negative");
        Require(Jitter >= TimeSpan.Zero && Jitter <= Latency, nameof(Jitter), "must lie between zero and the latency");
    }
}

/// <summary>
/// Forwards at most <paramref name="BytesPerSecond"/>: chunks are written in pieces of a twentieth of a second's
/// worth, each paced so the rate is never exceeded. <see cref="InjectedFault.Applied"/> counts bytes paced.
/// </summary>
/// <param name="BytesPerSecond">The rate limit, above zero.</param>
public sealed record BandwidthFault(long BytesPerSecond) : ChaosFault
{
    internal override string AppliedUnit => "bytes paced";

    internal override void Validate() => Require(BytesPerSecond > 0, nameof(BytesPerSecond), "must be above zero");
}

/// <summary>How a <see cref="ChaosProxy"/> ends a connection.</summary>
public enum CloseKind
{
    /// <summary>An orderly end: both peers read the end of the stream after everything already forwarded.</summary>
    Fin,

    /// <summary>An abortive end (linger 0): both peers see a connection reset.</summary>
    Reset,
}

/// <summary>
/// Closes the whole connection, on both sides of the proxy, once <paramref name="AfterBytes"/> more bytes have
/// been forwarded in this direction: the receiver gets exactly that many bytes, then the end of the stream
/// (<see cref="CloseKind.Fin"/>) or a reset (<see cref="CloseKind.Reset"/>). With zero bytes it closes every
/// open connection it is chosen for at once, and new ones as soon as they connect.
/// Bytes are counted from the moment the fault was added (for connections already open) or the connection
/// opened (for later ones). <see cref="InjectedFault.Applied"/> counts connections closed.
/// </summary>
/// <param name="Kind">An orderly end or a reset.</param>
/// <param name="AfterBytes">Bytes still forwarded before the close; zero for at once.</param>
public sealed record CloseFault(CloseKind Kind, long AfterBytes = 0) : ChaosFault
{
    internal override string AppliedUnit => "connections closed";

    internal override void Validate()
    {
        Require(Enum.IsDefined(Kind), nameof(Kind), "Fin or Reset");
        Require(AfterBytes >= 0, nameof(AfterBytes), "must not be negative");
    }
}

/// <summary>
/// A half-open link: the proxy keeps reading what the sender writes, so the sender sees nothing wrong, but
/// forwards nothing and closes nothing — not even the sender's own end of stream or reset crosses it. Only a
/// heartbeat (or a timeout) can find it. <see cref="InjectedFault.Applied"/> counts bytes swallowed.
/// </summary>
public sealed record BlackholeFault : ChaosFault
{
    internal override string AppliedUnit => "bytes swallowed";

    internal override void Validate()
    {
    }
}

/// <summary>
/// Writes each chunk in slices of at most <paramref name="MaxBytes"/>, waiting <paramref name="Delay"/> between
/// slices, so that the receiver sees fragmented frames. <see cref="InjectedFault.Applied"/> counts slices written.
/// </summary>
/// <param name="MaxBytes">The largest slice, at least one byte.</param>
/// <param name="Delay">The pause between two slices of one chunk; with zero the receiver may read them together.</param>
public sealed record SliceFault(int MaxBytes, TimeSpan Delay = default) : ChaosFault
{
    internal override string AppliedUnit => "slices written";

    internal override void Validate()
    {
        Require(MaxBytes > 0, nameof(MaxBytes), "must be at least one byte");
        Require(Delay >= TimeSpan.Zero, nameof(Delay), "must not be negative");
    }
}
