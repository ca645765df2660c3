namespace Lan.Actors.Cluster;

// What the bridges of one chat room publish to each other through DistributedPubSub (Akka.Remote serializes them).

/// <summary>A line said in the room at the node <paramref name="Place"/> (its Akka address).</summary>
internal sealed record ClusterChatLine(string Place, string From, string Text);

/// <summary>All the room's members at the node <paramref name="Place"/>; sent on every change and every few seconds.</summary>
internal sealed record ClusterRoomMembers(string Place, string[] Names);
