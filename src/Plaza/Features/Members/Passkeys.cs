using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Members;

/// <summary>
/// Members' passkeys (WebAuthn, checked by the Fido2 library): a signed-in member adds one, someone joins with one alone,
/// and anyone signs in with one, no e-mail or name asked (a discoverable credential says whose it is). Each ceremony is
/// two steps: the node sends options with a fresh challenge and keeps them (<see cref="PasskeyCeremony"/>); the browser's
/// answer is checked against them once, and they are gone. The relying party is the node's public origin: its host is
/// the RP id, so a passkey works at every shop of the node's address but belongs to one shop's member.
/// </summary>
public sealed class Passkeys(PlazaDb db, ShopScope scope, Members members, PublicOrigin origin, TimeProvider clock)
{
    public enum Outcome
    {
        Done,
        /// <summary>No such ceremony: expired, used already (a replayed answer), or another member's.</summary>
        Spent,
        /// <summary>The answer does not verify (wrong origin, challenge, signature, counter) or cannot be read.</summary>
        Refused,
        /// <summary>A valid-looking passkey the shop does not know: another shop's, or one its member removed.</summary>
        Unknown,
    }

    /// <summary>A discoverable credential (no username to type at sign-in), verified by the phone's lock when it has one.</summary>
    private static readonly AuthenticatorSelection Selection = new()
    {
        ResidentKey = ResidentKeyRequirement.Required,
        UserVerification = UserVerificationRequirement.Preferred,
    };

    private static readonly JsonSerializerOptions Answers = new(JsonSerializerDefaults.Web);

    /// <summary>Options to add a passkey to <paramref name="member"/>: the token of the ceremony and the options as JSON.</summary>
    public async Task<(string Ceremony, string Options)> AddOptionsAsync(Member member, CancellationToken ct)
    {
        var existing = await db.MemberPasskeys.AsNoTracking().Where(p => p.MemberId == member.Id)
            .Select(p => new { p.CredentialId, p.UserHandle }).ToListAsync(ct);
        var options = Fido().RequestNewCredential(new RequestNewCredentialParams
        {
            User = User(existing.FirstOrDefault()?.UserHandle ?? MemberPasskey.NewUserHandle(), member.Email ?? member.Name ?? member.Phone),
            // The same phone twice would only make a second key for one person; the browser says it has one already.
            ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId))],
            AuthenticatorSelection = Selection,
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return await StartAsync(PasskeyCeremonyKind.Add, member.Id, options.ToJson(), ct);
    }

    /// <summary>Checks the browser's answer to <see cref="AddOptionsAsync"/> and keeps the passkey, named <paramref name="name"/> (checked already).</summary>
    public async Task<Outcome> AddAsync(Member member, string? ceremony, JsonElement? answer, string? name, CancellationToken ct)
    {
        if (await TakeAsync(ceremony, PasskeyCeremonyKind.Add, ct) is not { } taken || taken.MemberId != member.Id)
        {
            return Outcome.Spent;
        }
        var options = CredentialCreateOptions.FromJson(taken.Options);
        if (await VerifyNewAsync(options, answer, ct) is not { } made)
        {
            return Outcome.Refused;
        }
        db.MemberPasskeys.Add(Passkey(member.Id, options, made, name));
        return await SaveAsync(ct) ? Outcome.Done : Outcome.Refused;
    }

    /// <summary>Options for someone joining with a passkey alone; <paramref name="label"/> (a name or phone) helps them tell it apart.</summary>
    public async Task<(string Ceremony, string Options)> JoinOptionsAsync(string? label, CancellationToken ct)
    {
        var options = Fido().RequestNewCredential(new RequestNewCredentialParams
        {
            User = User(MemberPasskey.NewUserHandle(), label),
            AuthenticatorSelection = Selection,
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return await StartAsync(PasskeyCeremonyKind.Join, null, options.ToJson(), ct);
    }

    /// <summary>
    /// Checks the answer to <see cref="JoinOptionsAsync"/>; a good one makes the member (with no e-mail address), keeps the
    /// passkey and the consent given with it, and signs them in on this phone.
    /// </summary>
    public async Task<Outcome> JoinAsync(HttpContext http, string? ceremony, JsonElement? answer, NewMember who, CancellationToken ct)
    {
        if (await TakeAsync(ceremony, PasskeyCeremonyKind.Join, ct) is not { } taken)
        {
            return Outcome.Spent;
        }
        var options = CredentialCreateOptions.FromJson(taken.Options);
        if (await VerifyNewAsync(options, answer, ct) is not { } made)
        {
            return Outcome.Refused;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var member = new Member
        {
            ShopId = scope.Current.ProgrammeId,
            Name = who.Name,
            Phone = who.Phone,
            Language = who.Language,
            JoinedAt = now,
            SecurityStamp = Member.NewStamp(),
        };
        if (who.ConsentText is { } consent)
        {
            (member.MarketingConsentAt, member.MarketingConsentText) = (now, consent);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Members.Add(member);
        await db.SaveChangesAsync(ct);
        db.MemberPasskeys.Add(Passkey(member.Id, options, made, null));
        if (!await SaveAsync(ct))
        {
            return Outcome.Refused;
        }
        await Campaigns.CustomerBook.JoinedAsync(db, (await Loyalty.Programmes.ShopsOfAsync(db, scope.Current, ct)).Select(s => s.Id), member, ct);
        await transaction.CommitAsync(ct);
        await members.SignInAsync(http, member);
        return Outcome.Done;
    }

    /// <summary>Options to sign in with any passkey of the shop's members: no list of credentials, so no username is needed.</summary>
    public Task<(string Ceremony, string Options)> SignInOptionsAsync(CancellationToken ct)
    {
        var options = Fido().GetAssertionOptions(new GetAssertionOptionsParams { UserVerification = UserVerificationRequirement.Preferred });
        return StartAsync(PasskeyCeremonyKind.SignIn, null, options.ToJson(), ct);
    }

    /// <summary>Checks the answer to <see cref="SignInOptionsAsync"/>; a good one signs its member in on this phone.</summary>
    public async Task<Outcome> SignInAsync(HttpContext http, string? ceremony, JsonElement? answer, CancellationToken ct)
    {
        if (await TakeAsync(ceremony, PasskeyCeremonyKind.SignIn, ct) is not { } taken)
        {
            return Outcome.Spent;
        }
        if (Read<AuthenticatorAssertionRawResponse>(answer) is not { RawId.Length: > 0 } assertion)
        {
            return Outcome.Refused;
        }
        var passkey = await db.MemberPasskeys.FirstOrDefaultAsync(p => p.CredentialId == assertion.RawId, ct);
        if (passkey is null)
        {
            return Outcome.Unknown;
        }
        VerifyAssertionResult verified;
        try
        {
            verified = await Fido().MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = assertion,
                OriginalOptions = AssertionOptions.FromJson(taken.Options),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = (uint)passkey.SignCount,
                // The handle the authenticator keeps with the key must be the one it was made for: the member's.
                IsUserHandleOwnerOfCredentialIdCallback = (given, _) => Task.FromResult(
                    given.UserHandle.AsSpan().SequenceEqual(passkey.UserHandle) && given.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId)),
            }, ct);
        }
        catch (Exception e) when (IsBadAnswer(e))
        {
            return Outcome.Refused;
        }
        (passkey.SignCount, passkey.LastUsedAt) = (verified.SignCount, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        var member = await db.Members.AsNoTracking().FirstAsync(m => m.Id == passkey.MemberId, ct);
        await members.SignInAsync(http, member);
        return Outcome.Done;
    }

    /// <summary>The member's passkeys, oldest first.</summary>
    public Task<List<MemberPasskey>> ListAsync(Member member, CancellationToken ct) =>
        db.MemberPasskeys.AsNoTracking().Where(p => p.MemberId == member.Id).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);

    /// <summary>Forgets one of the member's passkeys (the phone still holds its half, which no longer opens anything here).</summary>
    public async Task<bool> RemoveAsync(Member member, long id, CancellationToken ct) =>
        await db.MemberPasskeys.Where(p => p.Id == id && p.MemberId == member.Id).ExecuteDeleteAsync(ct) > 0;

    /// <summary>Who is joining: what they typed (checked already) and the consent words they ticked, if any.</summary>
    public sealed record NewMember(string? Name, string? Phone, string Language, string? ConsentText);

    /// <summary>The relying party: the node's public host (a passkey is bound to it) and its origin, the shop's name shown.</summary>
    private Fido2 Fido() => new(new Fido2Configuration
    {
        RPID = origin.Url.Host,
        RPName = scope.Current.Name,
        Origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { origin.Origin },
    });

    /// <summary>What a passkey manager lists: the shop, and who the member is to them when known.</summary>
    private Fido2User User(byte[] handle, string? who)
    {
        var label = string.IsNullOrWhiteSpace(who) ? scope.Current.Name : $"{who} ({scope.Current.Name})";
        return new Fido2User { Id = handle, Name = label, DisplayName = label };
    }

    private async Task<(string, string)> StartAsync(PasskeyCeremonyKind kind, long? memberId, string options, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Ceremonies nobody finished go here, a few at a time: no worker needed, and they hold nothing personal.
        await db.PasskeyCeremonies.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var ceremony = new PasskeyCeremony
        {
            ShopId = scope.Current.ProgrammeId,
            Token = PasskeyCeremony.NewToken(),
            Kind = kind,
            MemberId = memberId,
            Options = options,
            ExpiresAt = now + PasskeyCeremony.Lifetime,
        };
        db.PasskeyCeremonies.Add(ceremony);
        await db.SaveChangesAsync(ct);
        return (ceremony.Token, options);
    }

    /// <summary>The ceremony, once: whoever deletes the row has it, so a second answer (a replay, or the same one twice) gets null.</summary>
    private async Task<PasskeyCeremony?> TakeAsync(string? token, PasskeyCeremonyKind kind, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 32)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var ceremony = await db.PasskeyCeremonies.AsNoTracking().FirstOrDefaultAsync(c => c.Token == token && c.Kind == kind, ct);
        return ceremony is not null && ceremony.ExpiresAt > now
            && await db.PasskeyCeremonies.Where(c => c.Id == ceremony.Id).ExecuteDeleteAsync(ct) == 1 ? ceremony : null;
    }

    private async Task<RegisteredPublicKeyCredential?> VerifyNewAsync(CredentialCreateOptions options, JsonElement? answer, CancellationToken ct)
    {
        if (Read<AuthenticatorAttestationRawResponse>(answer) is not { Response: not null } attestation)
        {
            return null;
        }
        try
        {
            return await Fido().MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = attestation,
                OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = async (made, token) => !await db.MemberPasskeys.AnyAsync(p => p.CredentialId == made.CredentialId, token),
            }, ct);
        }
        catch (Exception e) when (IsBadAnswer(e))
        {
            return null;
        }
    }

    private MemberPasskey Passkey(long memberId, CredentialCreateOptions options, RegisteredPublicKeyCredential made, string? name) => new()
    {
        ShopId = scope.Current.ProgrammeId,
        MemberId = memberId,
        CredentialId = made.Id,
        PublicKey = made.PublicKey,
        UserHandle = options.User.Id,
        SignCount = made.SignCount,
        // As WebAuthn spells them ("internal", "smart-card"), the library's JSON names.
        Transports = made.Transports is { Length: > 0 } transports ? string.Join(',', transports.Select(t => JsonSerializer.Serialize(t).Trim('"'))) : null,
        AaGuid = made.AaGuid,
        Name = name,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    /// <summary>Saves a new passkey; false when its credential id was taken in the meantime (the unique index).</summary>
    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static T? Read<T>(JsonElement? answer) where T : class
    {
        if (answer is not { ValueKind: JsonValueKind.Object } element)
        {
            return null;
        }
        try
        {
            return element.Deserialize<T>(Answers);
        }
        catch (Exception e) when (IsBadAnswer(e))
        {
            return null;
        }
    }

    /// <summary>
    /// What a malformed or forged answer makes the library throw: its own verification error, or the JSON, CBOR, base64 or
    /// key error underneath it. Any of them is the sender's fault (a 400), never the node's.
    /// </summary>
    private static bool IsBadAnswer(Exception e) => e is Fido2VerificationException or JsonException or FormatException or ArgumentException
        or System.Formats.Cbor.CborContentException or System.Security.Cryptography.CryptographicException or InvalidOperationException or NotSupportedException
        or OverflowException or IndexOutOfRangeException;
}
