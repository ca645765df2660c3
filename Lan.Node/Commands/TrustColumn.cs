using Lan.Actors.Discovery;
using Lan.Actors.Nodes;
using Lan.Actors.Security;

namespace Lan.Node.Commands;

/// <summary>
/// What <c>discover</c> and <c>peers</c> say of each server's ID in TLS mode, from the listing node's trust store:
/// <c>trusted</c> (added or paired), <c>pinned</c> (first use), <c>untrusted</c>, or <c>UNTRUSTED-NAME</c> when the
/// name is pinned to another ID (another node using the name: <c>send --to</c> never picks it).
/// </summary>
internal static class TrustColumn
{
    /// <summary>The column for <paramref name="settings"/>' node; null in open mode, where no ID is proven.</summary>
    public static Func<ServerInfo, string>? For(LanNodeSettings settings)
    {
        if (settings.Security.Mode != SecurityMode.Tls)
        {
            return null;
        }

        TrustStore store;
        try
        {
            store = settings.Security.IsEphemeral
                ? TrustStore.InMemory()
                : TrustStore.Open(Path.Combine(settings.Security.IdentityFolderFor(settings.Node.Name), TrustStore.FileName));
        }
        catch (IdentityException)
        {
            return _ => "unknown";
        }

        return server =>
        {
            if (!NodeId.TryParse(server.Id, out var id, out _))
            {
                return "untrusted";
            }

            return store.Find(id) switch
            {
                { Origin: TrustOrigin.FirstUse } => "pinned",
                { } => "trusted",
                null when store.IdsNamed(server.Name).Count > 0 => "UNTRUSTED-NAME",
                null => "untrusted",
            };
        };
    }
}
