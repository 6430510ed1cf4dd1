using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Ordering;

/// <summary>Reads of orders shared by the customer page, the API and the board.</summary>
public static class OrderQueries
{
    public static Task<Order?> FindAsync(PlazaDb db, Guid id, CancellationToken ct) =>
        db.Orders.AsNoTracking()
            .Include(o => o.Lines)
            .Include(o => o.Transitions)
            .AsSplitQuery()
            .FirstOrDefaultAsync(o => o.Id == id, ct);
}
