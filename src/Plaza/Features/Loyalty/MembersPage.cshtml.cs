using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Members;

namespace Plaza.Features.Loyalty;

/// <summary>The shop's members with their points and balance, searchable by e-mail or name: where the counter finds who is topping up.</summary>
[StaffOnly]
public sealed class MembersPageModel(PlazaDb db, ShopScope scope) : PageModel
{
    public List<Member> Members { get; private set; } = [];
    public int Total { get; private set; }
    public string? Q { get; private set; }
    public Catalog.Shop Shop => scope.Current;

    public async Task OnGetAsync(string? q, CancellationToken ct)
    {
        Q = string.IsNullOrWhiteSpace(q) ? null : Typed.Plain(q).Trim();
        var members = db.Members.AsNoTracking();
        if (Q is { } term)
        {
            members = Member.Matching(members, term);
        }
        Total = await db.Members.CountAsync(ct);
        Members = await members.OrderByDescending(m => m.JoinedAt).Take(100).ToListAsync(ct);
    }

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));
}
