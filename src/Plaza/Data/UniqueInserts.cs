using Microsoft.EntityFrameworkCore;

namespace Plaza.Data;

public static class UniqueInserts
{
    /// <summary>
    /// Adds each row in its own save, skipping one a unique index refuses: another process (or another node on the
    /// same store) added the same row a moment ago. Returns how many were added. The caller has already left out the
    /// rows it knew of, so a refusal here is the rare race, not the rule.
    /// </summary>
    public static async Task<int> AddEachUnlessTakenAsync<T>(this PlazaDb db, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var added = 0;
        foreach (var row in rows)
        {
            db.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                added++;
            }
            catch (DbUpdateException)
            {
                // Added elsewhere a moment ago.
            }
            db.Entry(row).State = EntityState.Detached;
        }
        return added;
    }
}
