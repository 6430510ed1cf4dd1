namespace Plaza.Features.Ordering;

/// <summary>
/// Reasons Plaza itself gives for rejecting or cancelling an order. They are stored as codes
/// (<see cref="Order.ReasonCode"/>) and worded when shown, in the language of whoever reads them: the
/// customer's order page, the board, the API. A reason staff type is stored as they wrote it.
/// </summary>
public static class OrderReasons
{
    /// <summary>Nobody accepted the order within the shop's limit (<c>AutoReject</c>).</summary>
    public const string NotConfirmedInTime = "not-confirmed-in-time";

    /// <summary>Every code with its English words (the key of its translations).</summary>
    public static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>
    {
        [NotConfirmedInTime] = Text.Key("The shop did not confirm the order in time. Nothing is charged; please order again or call the shop."),
    };

    /// <summary>The reason to show, in the current UI culture: a code's words, else what staff wrote.</summary>
    public static string? Word(string? code, string? reason) =>
        code is not null && Words.TryGetValue(code, out var english) ? Text.Say(english) : reason;
}
