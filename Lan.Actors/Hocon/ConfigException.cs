namespace Lan.Actors.Hocon;

/// <summary>
/// A configuration that cannot be read or used. <see cref="Exception.Message"/> has the form
/// <c>server.conf:12: lan.tcp.port: expected an integer such as 42, got "x"</c>, so printing it is enough.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>An error with a complete message and no location.</summary>
    public ConfigException()
        : this("the configuration is invalid")
    {
    }

    /// <summary>An error with a complete message and no location.</summary>
    public ConfigException(string message)
        : base(message) => Problem = message;

    /// <summary>An error with a complete message, caused by <paramref name="innerException"/>.</summary>
    public ConfigException(string message, Exception? innerException)
        : base(message, innerException) => Problem = message;

    /// <summary>An error located at <paramref name="origin"/> on setting <paramref name="path"/>.</summary>
    /// <param name="origin">Where the offending text is; <c>null</c> when unknown (e.g. a missing setting).</param>
    /// <param name="path">The setting's full path, or <c>null</c> when the problem is not about one setting.</param>
    /// <param name="problem">What is wrong and what the user should do.</param>
    /// <param name="innerException">The underlying failure, e.g. an I/O error reading an include.</param>
    public ConfigException(ConfigOrigin? origin, string? path, string problem, Exception? innerException = null)
        : base(Format(origin, path, problem), innerException)
    {
        Origin = origin;
        Path = path;
        Problem = problem;
    }

    /// <summary>Where the offending text is, when known.</summary>
    public ConfigOrigin? Origin { get; }

    /// <summary>The full path of the setting concerned, when there is one.</summary>
    public string? Path { get; }

    /// <summary>The message without its location prefix.</summary>
    public string Problem { get; }

    private static string Format(ConfigOrigin? origin, string? path, string problem)
    {
        var location = origin is { } known ? known + ": " : "";
        var setting = string.IsNullOrEmpty(path) ? "" : path + ": ";
        return location + setting + problem;
    }
}
