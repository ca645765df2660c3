namespace Lan.Actors.TestKit;

/// <summary>An expectation of the TestKit was not met; the message says what was expected and what happened.</summary>
public sealed class TestKitAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TestKitAssertionException() { }

    /// <summary>Creates the exception with a message.</summary>
    public TestKitAssertionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TestKitAssertionException(string message, Exception? innerException) : base(message, innerException) { }
}
