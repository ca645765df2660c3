using Spectre.Console;
using Spectre.Console.Rendering;

namespace Lan.Node.Chat;

/// <summary>
/// The chat on a terminal: the conversation on the left, the members on the right, the input line at the bottom,
/// redrawn in place by Spectre.Console. The handler actor adds lines (<see cref="Show"/>) while the key loop edits
/// the input, so the model is guarded by a lock.
/// </summary>
internal sealed class ChatScreen(string room, string nick) : IChatView
{
    private const int Kept = 500;
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly SortedSet<string> _members = new(StringComparer.OrdinalIgnoreCase);
    private string _input = "";
    private bool _changed = true;

    public void Show(ChatLine line)
    {
        lock (_gate)
        {
            _lines.Add(line.Text);
            if (_lines.Count > Kept)
            {
                _lines.RemoveAt(0);
            }

            switch (line.Kind)
            {
                case ChatLineKind.Joined or ChatLineKind.Members:
                    _members.UnionWith(line.Names ?? []);
                    break;
                case ChatLineKind.Left:
                    _members.ExceptWith(line.Names ?? []);
                    break;
                case ChatLineKind.Disconnected:
                    _members.Clear();
                    break;
            }

            _changed = true;
        }
    }

    /// <summary>The screen for a terminal <paramref name="height"/> rows high.</summary>
    public IRenderable Render(int height)
    {
        lock (_gate)
        {
            _changed = false;
            var visible = Math.Max(1, height - 6);
            var conversation = new Rows(_lines.Skip(Math.Max(0, _lines.Count - visible)).Select(text => new Text(text)).ToArray<IRenderable>());
            var members = new Rows(_members.Select(name => new Text(name == nick ? $"{name} (you)" : name)).ToArray<IRenderable>());
            var grid = new Grid().AddColumn(new GridColumn()).AddColumn(new GridColumn().Width(24));
            grid.AddRow(
                new Panel(conversation).Header($"room {room}").Expand(),
                new Panel(members).Header($"members ({_members.Count})").Expand());
            return new Rows(grid, new Panel(new Text($"> {_input}_")).Header($"{nick} · Enter sends · /quit or Esc leaves").Expand());
        }
    }

    /// <summary>
    /// Draws the screen and reads keys until the user leaves, handing each finished line to <paramref name="submit"/>.
    /// </summary>
    public Task RunAsync(IAnsiConsole console, Action<string> submit, CancellationToken cancel) =>
        console.Live(Render(console.Profile.Height)).AutoClear(false).StartAsync(async live =>
        {
            while (!cancel.IsCancellationRequested)
            {
                while (Console.KeyAvailable)
                {
                    if (!Key(Console.ReadKey(intercept: true), submit))
                    {
                        return;
                    }
                }

                if (_changed)
                {
                    live.UpdateTarget(Render(console.Profile.Height));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(30), CancellationToken.None).ConfigureAwait(false);
            }
        });

    /// <summary>Applies one key to the input line; false when the user leaves.</summary>
    public bool Key(ConsoleKeyInfo key, Action<string> submit)
    {
        lock (_gate)
        {
            _changed = true;
            switch (key.Key)
            {
                case ConsoleKey.Escape:
                    return false;
                case ConsoleKey.Enter:
                    var line = _input.Trim();
                    _input = "";
                    if (line == "/quit")
                    {
                        return false;
                    }

                    // As everywhere: an empty line is never sent.
                    if (line.Length > 0)
                    {
                        submit(line);
                    }

                    return true;
                case ConsoleKey.Backspace:
                    _input = _input.Length > 0 ? _input[..^1] : _input;
                    return true;
                default:
                    if (!char.IsControl(key.KeyChar) && _input.Length < 2000)
                    {
                        _input += key.KeyChar;
                    }

                    return true;
            }
        }
    }
}
