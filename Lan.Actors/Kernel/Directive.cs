namespace Lan.Actors.Kernel;

/// <summary>What a supervisor does with a child that failed.</summary>
public enum Directive
{
    /// <summary>Keep the child and its state; drop the message that failed.</summary>
    Resume,

    /// <summary>Replace the child's instance by a new one; the mailbox is kept, the failed message dropped.</summary>
    Restart,

    /// <summary>Stop the child.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception.</summary>
    Escalate,
}

/// <summary>Maps an exception to a directive.</summary>
public interface IDecider
{
    /// <summary>The directive for <paramref name="cause"/>.</summary>
    Directive Decide(Exception cause);
}

/// <summary>Ready-made deciders.</summary>
public static class Decider
{
    /// <summary>A decider from a function.</summary>
    public static IDecider From(Func<Exception, Directive> decide) => new FunctionDecider(decide);

    /// <summary>
    /// A decider from exception types to directives (the most specific matching type wins),
    /// with <paramref name="defaultDirective"/> for anything else.
    /// </summary>
    public static IDecider From(Directive defaultDirective, params KeyValuePair<Type, Directive>[] pairs)
    {
        var table = pairs.ToArray();
        return new FunctionDecider(cause =>
        {
            Type? best = null;
            var directive = defaultDirective;
            foreach (var (type, value) in table)
            {
                if (type.IsInstanceOfType(cause) && (best is null || best.IsAssignableFrom(type)))
                {
                    best = type;
                    directive = value;
                }
            }
            return directive;
        });
    }

    private sealed class FunctionDecider(Func<Exception, Directive> decide) : IDecider
    {
        public Directive Decide(Exception cause) => decide(cause);
    }
}
