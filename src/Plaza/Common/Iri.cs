namespace Plaza.Common;

/// <summary>ActivityPub ids, inboxes and links as stored: long enough for any IRI a real server mints.</summary>
public static class Iri
{
    public const int MaxLength = 2048;
}
