namespace Lan.Actors.Kernel;

/// <summary>A behaviour that handles every message it is given.</summary>
public delegate void UntypedReceive(object message);

/// <summary>An actor with a single <see cref="OnReceive"/> method; call <c>Unhandled</c> for messages it does not know.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles one message.</summary>
    protected abstract void OnReceive(object message);

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the behaviour by <paramref name="receive"/>.</summary>
    protected void Become(UntypedReceive receive) => Become(Wrap(receive));

    /// <summary>Pushes <paramref name="receive"/> as the behaviour.</summary>
    protected void BecomeStacked(UntypedReceive receive) => BecomeStacked(Wrap(receive));

    private static Receive Wrap(UntypedReceive receive) => message =>
    {
        receive(message);
        return true;
    };
}
