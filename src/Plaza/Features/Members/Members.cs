using System.Buffers.Text;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Mail;
using Plaza.Features.Ordering;

namespace Plaza.Features.Members;

/// <summary>
/// A shop's members: joining and signing back in by an e-mailed code (or a passkey, <see cref="Passkeys"/>), staying
/// signed in on that phone (one long-lived cookie that can hold a membership of several shops of the node), the member's
/// own data as JSON, and deleting it.
/// Every step on a code is a conditional update, so parallel guesses share its five tries and a code is used once.
/// </summary>
public sealed class Members(PlazaDb db, ShopScope scope, Outbox outbox, PublicOrigin origin, TimeProvider clock, IStringLocalizer<Text> text)
{
    public const string Scheme = "Member";
    public const string CookieName = "plaza.member";
    private const string ClaimType = "plaza:member";
    /// <summary>Codes one address may be sent by one shop in an hour.</summary>
    public const int CodesPerHour = 5;

    public enum CodeCheck
    {
        SignedIn,
        Wrong,
        /// <summary>Expired, used, or mistyped five times: a new code is needed.</summary>
        Spent,
    }

    /// <summary>
    /// The words a member agrees to when they tick the box, naming the shop (or every shop of a linked programme, whose offers
    /// they will hear of); stored with the consent. A member who joined with a passkey alone gave no address, so their words
    /// name no channel.
    /// </summary>
    public async Task<string> ConsentTextAsync(CancellationToken ct, bool byEmail = true)
    {
        var (email, passkey) = await ConsentTextsAsync(ct);
        return byEmail ? email : passkey;
    }

    /// <summary>Both wordings of <see cref="ConsentTextAsync"/>, by e-mail and with a passkey alone, from one read of the programme.</summary>
    public async Task<(string ByEmail, string ByPasskey)> ConsentTextsAsync(CancellationToken ct)
    {
        var shops = await Loyalty.Programmes.ShopsOfAsync(db, scope.Current, ct);
        if (shops.Count > 1)
        {
            var names = Loyalty.Programmes.NameOf(shops);
            return (text["Send me offers from the shops {0} (one membership for all of them) by e-mail. I can stop them at any time on my member page.", names].Value,
                text["Send me offers from the shops {0} (one membership for all of them). I can stop them at any time on my member page.", names].Value);
        }
        var shop = scope.Current;
        return (text["Send me {0}'s offers by e-mail. I can stop them at any time on my member page.", shop.Name].Value,
            text["Send me {0}'s offers. I can stop them at any time on my member page.", shop.Name].Value);
    }

    /// <summary>E-mails a code to <paramref name="email"/> and returns its token, or the problem with the address (by field).</summary>
    public async Task<(MemberCode? Code, string? Problem)> RequestCodeAsync(string email, bool consent, string language, CancellationToken ct)
    {
        var shop = scope.Current;
        email = Accounts.Normalize(Typed.Plain(email)); // a Chinese keyboard may type ｍｅｉ＠ｅｘａｍｐｌｅ.ｃｏｍ
        if (email.Length is 0 or > 320 || !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            return (null, Text.Say("Give an e-mail address you can read now: the code goes there."));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.MemberCodes.CountAsync(c => c.Email == email && c.CreatedAt > now.AddHours(-1), ct) >= CodesPerHour)
        {
            return (null, Text.Say("Several codes went to that address in the last hour; use the newest, or try again later."));
        }
        var code = MemberCode.NewCode();
        var row = new MemberCode
        {
            ShopId = shop.ProgrammeId,
            Token = MemberCode.NewToken(),
            Email = email,
            CodeHash = MemberCode.Hash(code),
            ConsentText = consent ? await ConsentTextAsync(ct) : null,
            Language = language == "zh-Hans" ? "zh-Hans" : "en",
            CreatedAt = now,
            ExpiresAt = now + MemberCode.Lifetime,
        };
        db.MemberCodes.Add(row);
        var (subject, body) = Outbox.In(row.Language, () => (
            text["Your code for {0}: {1}", shop.Name, code].Value,
            text["Your code for {0} is {1}. It works for {2} minutes.\n\nEnter it on the page that asked for it, or open {3}\n\nIf you did not ask for it, ignore this e-mail: nothing happens without the code.\n",
                shop.Name, code, (int)MemberCode.Lifetime.TotalMinutes, origin.Link($"/s/{shop.Slug}/join/{row.Token}")].Value));
        outbox.Add(email, subject, body);
        await db.SaveChangesAsync(ct);
        return (row, null);
    }

    public Task<MemberCode?> FindCodeAsync(string? token, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(token) || token.Length > 32
            ? Task.FromResult<MemberCode?>(null)
            : db.MemberCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Token == token, ct);

    /// <summary>Checks the code; the right one makes (or finds) the member, records the consent given with it, and signs them in.</summary>
    public async Task<CodeCheck> VerifyAsync(HttpContext http, MemberCode code, string typed, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counted = await db.MemberCodes
            .Where(c => c.Id == code.Id && c.UsedAt == null && c.ExpiresAt > now && c.Attempts < MemberCode.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), ct);
        if (counted == 0)
        {
            return CodeCheck.Spent;
        }
        if (!code.Matches(Typed.Plain(typed).Replace(" ", "", StringComparison.Ordinal).Trim()))
        {
            return CodeCheck.Wrong;
        }
        if (await db.MemberCodes.Where(c => c.Id == code.Id && c.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct) == 0)
        {
            return CodeCheck.Spent;
        }
        var member = await db.Members.FirstOrDefaultAsync(m => m.Email == code.Email, ct);
        if (member is null)
        {
            member = new Member { ShopId = code.ShopId, Email = code.Email, Language = code.Language, JoinedAt = now, SecurityStamp = Member.NewStamp() };
            db.Members.Add(member);
        }
        if (code.ConsentText is { } consent && member.MarketingConsentAt is null)
        {
            (member.MarketingConsentAt, member.MarketingConsentText, member.MarketingWithdrawnAt) = (now, consent, null);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (member.Id == 0)
        {
            // The same address joined in another request a moment ago: that member it is.
            db.ChangeTracker.Clear();
            member = await db.Members.FirstAsync(m => m.Email == code.Email, ct);
        }
        await SignInAsync(http, member);
        return CodeCheck.SignedIn;
    }

    /// <summary>The member of the shop in scope that this browser is signed in as, if any (and if still valid).</summary>
    public async Task<Member?> CurrentAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.Cookies.ContainsKey(CookieName) || scope.Shop is not { } shop)
        {
            return null;
        }
        var held = Held((await http.AuthenticateAsync(Scheme)).Principal);
        if (held.FindIndex(m => m.ShopId == shop.ProgrammeId) is var index and >= 0)
        {
            var (_, id, stamp) = held[index];
            return await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.SecurityStamp == stamp, ct);
        }
        // Signed in before a shop was linked into this programme, the membership names the shop it was made in; the member
        // (found in this programme's scope, with the cookie's stamp) is the same person.
        var others = held.Select(m => m.Id).ToList();
        if (others.Count == 0)
        {
            return null;
        }
        var found = await db.Members.AsNoTracking().Where(m => others.Contains(m.Id)).ToListAsync(ct);
        return found.FirstOrDefault(m => held.Any(h => h.Id == m.Id && h.Stamp == m.SecurityStamp));
    }

    /// <summary>The member's id for an order placed now, when the request comes from the shop's own pages (not another site).</summary>
    public async Task<long?> OrderingMemberAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.Cookies.ContainsKey(CookieName) || http.Request.Headers["Sec-Fetch-Site"] is [var site] && site != "same-origin")
        {
            return null;
        }
        return (await CurrentAsync(http, ct))?.Id;
    }

    public async Task SignInAsync(HttpContext http, Member member)
    {
        var claims = await MembershipsExceptAsync(http, member);
        claims.Add($"{member.ShopId}:{member.Id}:{member.SecurityStamp}");
        await http.SignInAsync(Scheme, Principal(claims), new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>
    /// Signs out of the shop in scope (and the shops linked with it) only; memberships of other shops on this phone stay.
    /// <paramref name="member"/> is who was signed in, whose membership may name a shop since linked in.
    /// </summary>
    public async Task SignOutAsync(HttpContext http, Member? member)
    {
        var programme = scope.Current.ProgrammeId;
        var others = ((await http.AuthenticateAsync(Scheme)).Principal?.FindAll(ClaimType) ?? [])
            .Where(c => Find(c.Value) is not { } held || (held.ShopId != programme && held.Id != member?.Id)).Select(c => c.Value).ToList();
        if (others.Count == 0)
        {
            await http.SignOutAsync(Scheme);
        }
        else
        {
            await http.SignInAsync(Scheme, Principal(others), new AuthenticationProperties { IsPersistent = true });
        }
    }

    public async Task SetConsentAsync(Member member, bool consent, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var words = await ConsentTextAsync(ct, byEmail: member.Email is not null);
        await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s =>
        {
            if (consent)
            {
                s.SetProperty(m => m.MarketingConsentAt, now).SetProperty(m => m.MarketingConsentText, words).SetProperty(m => m.MarketingWithdrawnAt, (DateTime?)null);
            }
            else
            {
                s.SetProperty(m => m.MarketingConsentAt, (DateTime?)null).SetProperty(m => m.MarketingWithdrawnAt, now);
            }
        }, ct);
    }

    public Task SetBirthdayAsync(Member member, int? month, int? day, CancellationToken ct) =>
        db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.BirthMonth, month).SetProperty(m => m.BirthDay, day), ct);

    /// <summary>The member's orders, newest first.</summary>
    public Task<List<Order>> OrdersAsync(Member member, CancellationToken ct) =>
        db.Orders.AsNoTracking().Where(o => o.MemberId == member.Id).OrderByDescending(o => o.PlacedAt).Include(o => o.Lines).ToListAsync(ct);

    /// <summary>Everything the shop holds about the member: the membership, the consent, the passkeys, and every order with its lines and steps.</summary>
    public async Task<object> ExportAsync(Member member, CancellationToken ct)
    {
        // The member's orders in every shop of the programme (member ids are the node's; the member was found in its scope).
        var orders = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().Where(o => o.MemberId == member.Id).OrderBy(o => o.PlacedAt)
            .Include(o => o.Lines).Include(o => o.Transitions).ToListAsync(ct);
        var codes = member.Email is null ? [] : await db.MemberCodes.AsNoTracking().Where(c => c.Email == member.Email).OrderBy(c => c.CreatedAt)
            .Select(c => new { c.CreatedAt, c.UsedAt }).ToListAsync(ct);
        // Each passkey's id, name and dates; its public key is of no use to anyone but the node and stays out.
        var passkeys = await db.MemberPasskeys.AsNoTracking().Where(p => p.MemberId == member.Id).OrderBy(p => p.CreatedAt)
            .Select(p => new { p.CredentialId, p.Name, p.CreatedAt, p.LastUsedAt }).ToListAsync(ct);
        return new
        {
            shop = new { scope.Current.Name, url = origin.Link($"/s/{scope.Current.Slug}") },
            member = new { member.Email, member.Name, member.Phone, member.Language, member.JoinedAt, birthday = member.BirthMonth is { } month ? $"--{month:D2}-{member.BirthDay:D2}" : null },
            marketing = new { consentedAt = member.MarketingConsentAt, words = member.MarketingConsentText, withdrawnAt = member.MarketingWithdrawnAt },
            codesSent = codes,
            points = member.Points,
            balance = new { amount = member.Balance, currency = scope.Current.Currency },
            ledger = await db.Ledger.AsNoTracking().Where(e => e.MemberId == member.Id).OrderBy(e => e.Id)
                .Select(e => new { account = e.Account.ToString(), kind = e.Kind.ToString(), e.Amount, e.OrderId, e.Reason, e.Actor, e.At, e.ExpiresAt }).ToListAsync(ct),
            coupons = await Loyalty.LoyaltyApi.CodesAsync(db, member.Id, unusedOnly: false, ct, everyShop: true),
            reservations = await db.Reservations.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().Where(r => r.MemberId == member.Id).OrderBy(r => r.Start)
                .Select(r => new { r.Id, r.Start, r.End, r.PartySize, r.Name, r.Phone, r.Email, r.Note, status = r.Status.ToString(), r.Tables, r.CreatedAt }).ToListAsync(ct),
            tierGifts = await db.TierGifts.AsNoTracking().Where(g => g.MemberId == member.Id).OrderBy(g => g.Id).Select(g => new { g.Month, g.Code, g.At }).ToListAsync(ct),
            passkeys = passkeys.Select(p => new { credentialId = Base64Url.EncodeToString(p.CredentialId), p.Name, p.CreatedAt, p.LastUsedAt }),
            orders = orders.Select(o => new
            {
                o.Id,
                o.Number,
                type = o.Type.ToString(),
                status = o.Status.ToString(),
                o.PlacedAt,
                o.Currency,
                o.Total,
                o.CustomerName,
                o.CustomerPhone,
                o.DeliveryAddress,
                o.Note,
                o.TableCode,
                lines = o.Lines.Select(l => new { l.Name, l.Quantity, l.UnitPrice, l.LineTotal }),
                steps = o.Transitions.OrderBy(t => t.At).Select(t => new { status = t.Status.ToString(), t.At }),
            }),
        };
    }

    /// <summary>
    /// Deletes the membership, its passkeys, the codes and the e-mail sent to its address; the orders stay for the shop's books with
    /// nothing of the person left on them (name, phone, address, note, the link to the member).
    /// </summary>
    public async Task DeleteAsync(HttpContext http, Member member, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // In every shop of the programme: the member's id is the node's, and this member was found in the programme's scope.
        await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(o => o.MemberId == member.Id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.CustomerName, "").SetProperty(o => o.CustomerPhone, "").SetProperty(o => o.DeliveryAddress, (string?)null)
            .SetProperty(o => o.Note, (string?)null).SetProperty(o => o.MemberId, (long?)null), ct);
        if (member.Email is { } email)
        {
            await db.MemberCodes.Where(c => c.Email == email).ExecuteDeleteAsync(ct);
            // The node's copies of the e-mail sent to the address go too (any not yet sent are not wanted any more).
            await db.OutboxMails.Where(m => m.To == email).ExecuteDeleteAsync(ct);
        }
        await Campaigns.CustomerBook.ForgetAsync(db, member.Id, ct);
        await db.MemberPasskeys.Where(p => p.MemberId == member.Id).ExecuteDeleteAsync(ct);
        await db.PasskeyCeremonies.Where(c => c.MemberId == member.Id).ExecuteDeleteAsync(ct);
        // Points and balance movements stay as amounts for the shop's books, no longer tied to anyone, their free text gone;
        // codes issued to the member and never used go; used ones and coupon uses keep the order, not the person.
        await db.Ledger.Where(e => e.MemberId == member.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.MemberId, 0L).SetProperty(e => e.Reason, (string?)null), ct);
        await db.CouponCodes.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => c.MemberId == member.Id && c.UsedByOrderId == null).ExecuteDeleteAsync(ct);
        await db.CouponCodes.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => c.MemberId == member.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.MemberId, (long?)null), ct);
        await db.CouponUses.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(u => u.MemberId == member.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.MemberId, (long?)null), ct);
        await db.CouponMemberCounts.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => c.MemberId == member.Id).ExecuteDeleteAsync(ct);
        await db.TierGifts.Where(g => g.MemberId == member.Id).ExecuteDeleteAsync(ct);
        // Reservations stay for the shop's day sheet with nothing of the person on them.
        await db.Reservations.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.MemberId == member.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Name, "").SetProperty(r => r.Phone, "").SetProperty(r => r.Email, "").SetProperty(r => r.Note, "")
            .SetProperty(r => r.MemberId, (long?)null), ct);
        await db.Members.Where(m => m.Id == member.Id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        await SignOutAsync(http, member);
    }

    /// <summary>The memberships this browser holds other than <paramref name="member"/>'s (of its programme, or of a shop since linked into it).</summary>
    private static async Task<List<string>> MembershipsExceptAsync(HttpContext http, Member member) =>
        [.. ((await http.AuthenticateAsync(Scheme)).Principal?.FindAll(ClaimType) ?? [])
            .Where(c => Find(c.Value) is { } held && held.ShopId != member.ShopId && held.Id != member.Id).Select(c => c.Value)];

    private static ClaimsPrincipal Principal(IEnumerable<string> memberships) =>
        new(new ClaimsIdentity(memberships.Select(m => new Claim(ClaimType, m)), Scheme));

    private static List<(int ShopId, long Id, string Stamp)> Held(ClaimsPrincipal? principal) =>
        [.. (principal?.FindAll(ClaimType) ?? []).Select(c => Find(c.Value)).OfType<(int, long, string)>()];

    private static (int ShopId, long Id, string Stamp)? Find(string value) =>
        value.Split(':') is [var shop, var id, var stamp] && int.TryParse(shop, out var shopId) && long.TryParse(id, out var memberId)
            ? (shopId, memberId, stamp) : null;
}
