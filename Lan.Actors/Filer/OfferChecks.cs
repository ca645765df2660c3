using System.Diagnostics.CodeAnalysis;

namespace Lan.Actors.Filer;

/// <summary>
/// The receiver's checks of an offer's fields, made before anything touches the disk: a name that is safe to write,
/// a size, a chunk size the receiver allows and, when the offer has one, a well-formed SHA-256.
/// </summary>
internal static class OfferChecks
{
    /// <summary>Why the offer is refused, or null when it passes; <paramref name="safeName"/> is the name it will be written as.</summary>
    public static string? Refusal(FileOffer offer, int maxChunkSize, out string safeName)
    {
        if (offer.Id.Length > MaxIdLength)
        {
            // The ID keys the transfer's table entries and every event about it.
            safeName = "";
            return $"the transfer ID is longer than {MaxIdLength} characters";
        }

        if (!SafeFileName.TryCheck(offer.Name, out var safe, out var unsafeReason))
        {
            safeName = "";
            return "unsafe name: " + unsafeReason;
        }

        safeName = safe;
        return offer.Size < 0 || offer.Chunk < 1 || offer.Chunk > maxChunkSize || (offer.Sha256 is { } sha256 && !IsSha256(sha256))
            ? FieldsRule(maxChunkSize)
            : null;
    }

    /// <summary>The longest transfer ID an offer may give.</summary>
    public const int MaxIdLength = 128;

    /// <summary>What an offer's fields must be; the reason given for one whose fields are missing or of the wrong kind too.</summary>
    public static string FieldsRule(int maxChunkSize) =>
        $"the offer needs SIZE ≥ 0, CHUNK from 1 to {maxChunkSize} and, when it has one, SHA256 as 64 hex digits";

    /// <summary>A SHA-256 as the protocol writes it: 64 hex digits (either case; compared lower-case).</summary>
    public static bool IsSha256([NotNullWhen(true)] string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
