namespace Plaza.Features.Members;

/// <summary>
/// Where a text message to a member would go: the seam for an SMS provider (each country has its own, and each costs per
/// message). Nothing implements or registers it yet, and nothing sends SMS: a member proves who they are with a passkey
/// or an e-mailed code, and a phone number is kept unverified. A provider added later implements this and is registered
/// only where the operator configures it, so a node without one keeps working as now.
/// </summary>
public interface ISmsSender
{
    /// <summary>Sends <paramref name="text"/> to <paramref name="phone"/> (E.164, as <see cref="MemberPhones.Normalise"/> makes it).</summary>
    Task SendAsync(string phone, string text, CancellationToken ct);
}
