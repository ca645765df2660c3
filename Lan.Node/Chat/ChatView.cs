namespace Lan.Node.Chat;

/// <summary>What a chat line is about, so a screen can keep its member list.</summary>
internal enum ChatLineKind
{
    Message,
    Status,
    Joined,
    Left,
    Members,
    Disconnected,
}

/// <summary>One line of the conversation; <paramref name="Names"/> are the members a JOINED, LEFT or MEMBERS line is about.</summary>
internal sealed record ChatLine(string Text, ChatLineKind Kind, IReadOnlyList<string>? Names = null);

/// <summary>Where a chat client shows the conversation. Called from the handler actor.</summary>
internal interface IChatView
{
    void Show(ChatLine line);
}

/// <summary>One line of text per chat line: for redirected output, pipes and tests.</summary>
internal sealed class PlainChatView(TextWriter output) : IChatView
{
    public void Show(ChatLine line) => output.WriteLine(line.Text);
}
