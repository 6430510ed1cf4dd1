using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Mail;

namespace Plaza.Features.SignUp;

/// <summary>
/// Opening a shop on this node without the operator's shell: ask (an e-mailed code proves the address), then the
/// operator approves, and only then do the account and the shop exist. Every step is a conditional update
/// on the request's state, so a double click or two operators at once decide it once.
/// </summary>
public sealed class SignUps(PlazaDb db, Outbox outbox, PublicOrigin origin, TimeProvider clock, IStringLocalizer<Text> text)
{
    public async Task<bool> IsOpenAsync(CancellationToken ct) =>
        outbox.CanSend && await db.NodeSettings.AsNoTracking().AnyAsync(s => s.OpenSignUp, ct);

    /// <summary>A new request with its code e-mailed, or what is wrong with it, by field.</summary>
    public async Task<(SignUpRequest? Request, Dictionary<string, string> Problems)> AskAsync(SignUpForm form, CancellationToken ct)
    {
        var email = Accounts.Normalize(form.Email);
        var slug = form.Slug.Trim().ToLowerInvariant();
        var problems = await NewShop.CheckAsync(db, slug, form.ShopName, form.Currency.Trim().ToUpperInvariant(), form.TimeZone.Trim(), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!problems.ContainsKey("Slug") && await db.SignUpRequests.AnyAsync(r => r.ShopSlug == slug
                && (r.State == SignUpState.Verified || (r.State == SignUpState.Unverified && r.CodeExpiresAt > now)), ct))
        {
            problems["Slug"] = Text.Say("Someone asked for that address a moment ago; choose another.");
        }
        if (form.Name.Trim().Length is 0 or > 80)
        {
            problems["DisplayName"] = Text.Say("Give your name, of up to 80 characters.");
        }
        if (email.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            problems["Email"] = Text.Say("Give an e-mail address you can read now: the code goes there.");
        }
        else if (await db.Accounts.AnyAsync(a => a.Email == email, ct))
        {
            problems["Email"] = Text.Say("That e-mail already has an account: sign in and open the shop from Your shops.");
        }
        if (form.Password.Length < Accounts.MinPasswordLength)
        {
            problems["Password"] = Text.Say("Use at least 10 characters.");
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var code = SignUpRequest.NewCode();
        var request = new SignUpRequest
        {
            Token = SignUpRequest.NewToken(),
            Email = email,
            DisplayName = form.Name.Trim(),
            PasswordHash = Accounts.HashPassword(form.Password),
            ShopName = form.ShopName.Trim(),
            ShopSlug = slug,
            Currency = form.Currency.Trim().ToUpperInvariant(),
            TimeZone = form.TimeZone.Trim(),
            Language = form.Language == "zh-Hans" ? "zh-Hans" : "en",
            CodeHash = SignUpRequest.Hash(code),
            CodeExpiresAt = now + SignUpRequest.CodeLifetime,
            CreatedAt = now,
        };
        db.SignUpRequests.Add(request);
        MailCode(request, code);
        await db.SaveChangesAsync(ct);
        return (request, problems);
    }

    public Task<SignUpRequest?> FindAsync(string? token, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(token) || token.Length > 32
            ? Task.FromResult<SignUpRequest?>(null)
            : db.SignUpRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Token == token, ct);

    public enum CodeCheck
    {
        Verified,
        Wrong,
        /// <summary>Expired, or too many wrong tries: a new code is needed.</summary>
        Spent,
    }

    /// <summary>
    /// Checks the code. Each wrong try is counted by a conditional update before the answer, so parallel guesses
    /// share the five tries; the right code moves the request on once and tells the operators.
    /// </summary>
    public async Task<CodeCheck> VerifyAsync(SignUpRequest request, string code, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counted = await db.SignUpRequests
            .Where(r => r.Id == request.Id && r.State == SignUpState.Unverified && r.CodeExpiresAt > now && r.CodeAttempts < SignUpRequest.MaxCodeAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CodeAttempts, r => r.CodeAttempts + 1), ct);
        if (counted == 0)
        {
            return CodeCheck.Spent;
        }
        var typed = Normalized(code);
        if (!request.CodeMatches(typed))
        {
            return CodeCheck.Wrong;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.SignUpRequests.Where(r => r.Id == request.Id && r.State == SignUpState.Unverified)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, SignUpState.Verified).SetProperty(r => r.VerifiedAt, now), ct);
        if (moved == 1)
        {
            var operators = await db.Accounts.AsNoTracking().Where(a => a.IsOperator).Select(a => a.Email).ToListAsync(ct);
            foreach (var to in operators)
            {
                var (subject, body) = Outbox.In("en", () => (
                    text["New shop waiting for approval: {0}", request.ShopName].Value,
                    text["{0} <{1}> asks to open {2} at {3}. Their e-mail is confirmed.\n\nApprove or decline: {4}\n", request.DisplayName, request.Email,
                        request.ShopName, origin.Link($"/s/{request.ShopSlug}"), origin.Link("/console/node/sign-ups")].Value));
                outbox.Add(to, subject, body);
            }
            await db.SaveChangesAsync(ct);
        }
        await outbox.CommitAsync(transaction, ct);
        return CodeCheck.Verified;
    }

    /// <summary>A fresh code for a request still waiting for one (the old one expired or was mistyped five times).</summary>
    public async Task<bool> ResendAsync(SignUpRequest request, CancellationToken ct)
    {
        var code = SignUpRequest.NewCode();
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.SignUpRequests.Where(r => r.Id == request.Id && r.State == SignUpState.Unverified)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CodeHash, SignUpRequest.Hash(code)).SetProperty(r => r.CodeAttempts, 0)
                .SetProperty(r => r.CodeExpiresAt, now + SignUpRequest.CodeLifetime), ct);
        if (changed == 1)
        {
            MailCode(request, code);
            await db.SaveChangesAsync(ct);
        }
        return changed == 1;
    }

    public enum Decision
    {
        Done,
        /// <summary>Already decided, or not yet confirmed by e-mail.</summary>
        NotWaiting,
        /// <summary>The address or the e-mail was taken since the request was made.</summary>
        Taken,
    }

    /// <summary>
    /// The operator's answer. Approving makes the account (with the password the asker chose), the shop and the
    /// owner's membership in one transaction with the request's move, and e-mails the asker either way.
    /// </summary>
    public async Task<Decision> DecideAsync(long id, bool approve, string operatorEmail, CancellationToken ct)
    {
        var request = await db.SignUpRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null || request.State != SignUpState.Verified)
        {
            return Decision.NotWaiting;
        }
        if (approve && ((await NewShop.CheckAsync(db, request.ShopSlug, request.ShopName, request.Currency, request.TimeZone, ct)).Count > 0
            || await db.Accounts.AnyAsync(a => a.Email == request.Email, ct)))
        {
            return Decision.Taken;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.SignUpRequests.Where(r => r.Id == id && r.State == SignUpState.Verified)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, approve ? SignUpState.Approved : SignUpState.Declined)
                .SetProperty(r => r.DecidedAt, now).SetProperty(r => r.DecidedBy, operatorEmail), ct);
        if (moved == 0)
        {
            return Decision.NotWaiting;
        }
        var signIn = origin.Link("/console/sign-in");
        if (approve)
        {
            var shop = NewShop.Build(request.ShopSlug, request.ShopName, request.Currency, request.TimeZone, request.Language);
            var account = new Account
            {
                Email = request.Email,
                DisplayName = request.DisplayName,
                PasswordHash = request.PasswordHash,
                SecurityStamp = Accounts.NewStamp(),
                CreatedAt = now,
            };
            db.Shops.Add(shop);
            db.Accounts.Add(account);
            account.Memberships.Add(new Membership { Shop = shop, Role = ShopRole.Owner });
        }
        var (subject, body) = Outbox.In(request.Language, () => approve
            ? (text["Your shop {0} is open", request.ShopName].Value,
                text["Hello {0},\n\nyour shop {1} is open on {2}. Sign in at {3} with your e-mail and the password you chose, then set up your menu, opening hours and tables.\n\nYour customers will find it at {4}\n",
                    request.DisplayName, request.ShopName, origin.Url.Host, signIn, origin.Link($"/s/{request.ShopSlug}")].Value)
            : (text["Your request to open {0}", request.ShopName].Value,
                text["Hello {0},\n\nthe operator of {1} did not approve your shop {2}. Nothing was kept but this request.\n", request.DisplayName, origin.Url.Host, request.ShopName].Value));
        outbox.Add(request.Email, subject, body);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The address or the e-mail was taken between the check and the write.
            return Decision.Taken;
        }
        await outbox.CommitAsync(transaction, ct);
        return Decision.Done;
    }

    private void MailCode(SignUpRequest request, string code)
    {
        var (subject, body) = Outbox.In(request.Language, () => (
            text["Your code to open {0}: {1}", request.ShopName, code].Value,
            text["Hello {0},\n\nyour code to open {1} on {2} is {3}. Type it on the page you came from; it is valid for 30 minutes.\n\nOr open {4}\n\nIf you did not ask for this, ignore this e-mail: nothing is made without the code.\n",
                request.DisplayName, request.ShopName, origin.Url.Host, code, origin.Link($"/console/sign-up/{request.Token}")].Value));
        outbox.Add(request.Email, subject, body);
    }

    /// <summary>The code as typed on any keyboard: full-width digits folded, spaces dropped.</summary>
    private static string Normalized(string code) =>
        new([.. Typed.Plain(code).Where(char.IsAsciiDigit)]);
}

/// <summary>What the sign-up form asks.</summary>
public sealed class SignUpForm
{
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string ShopName { get; set; } = "";
    public string Slug { get; set; } = "";
    public string Currency { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public string Language { get; set; } = "en";
}
