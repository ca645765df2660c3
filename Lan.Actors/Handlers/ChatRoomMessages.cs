namespace Lan.Actors.Handlers;

// What a ChatRoomHandler and its bridge (the link that joins one room held at several places, e.g. the nodes of a
// cluster) tell each other. The room stays the one place that decides names, limits and what its members see.

/// <summary>Told by a room to its bridge: a member here said a line (already limited and cut by the room).</summary>
/// <param name="From">The member's name in the room.</param>
/// <param name="Text">What was said.</param>
public sealed record RoomLineSaid(string From, string Text);

/// <summary>Told by a room to its bridge whenever its own members change: all of their names.</summary>
public sealed record RoomMembersChanged(IReadOnlyList<string> Names);

/// <summary>Told by a bridge to its room: a line said in the same room at another place.</summary>
/// <param name="From">The speaker's name there.</param>
/// <param name="Text">What was said.</param>
public sealed record RemoteLineHeard(string From, string Text);

/// <summary>Told by a bridge to its room: the members the room has at another place, all of them.</summary>
/// <param name="Place">The place's key, e.g. a cluster node's address; the same key for every report from there.</param>
/// <param name="Names">Their names.</param>
public sealed record RemoteMembersHeard(string Place, IReadOnlyList<string> Names);

/// <summary>Told by a bridge to its room: a place is gone, and its members with it.</summary>
/// <param name="Place">The key of <see cref="RemoteMembersHeard.Place"/>.</param>
/// <param name="Reason">Why, as the LEFT packets say it.</param>
public sealed record RemotePlaceGone(string Place, string Reason);
