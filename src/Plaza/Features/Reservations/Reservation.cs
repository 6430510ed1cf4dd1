using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Reservations;

public enum ReservationStatus
{
    Booked = 0,
    Arrived = 1,
    Seated = 2,
    Finished = 3,
    NoShow = 4,
    Cancelled = 5,
}

/// <summary>
/// A table booked for a party. Its own table, not <c>Tables</c>: the menu's catalog triggers watch
/// <c>Tables</c>, and a booking must never make the menu cache reload. The id is the customer's
/// capability (their link), so it is random, never sequential.
/// </summary>
public sealed class Reservation : IShopOwned
{
    public Guid Id { get; set; }
    public int ShopId { get; set; }
    public DateTime Start { get; set; }
    public DateTime End { get; set; }
    public int PartySize { get; set; }
    public required string Name { get; set; }
    public required string Phone { get; set; }
    public required string Email { get; set; }
    public string Note { get; set; } = "";
    /// <summary>"en" or "zh-Hans": what the e-mails are written in.</summary>
    public string Language { get; set; } = "en";
    public ReservationStatus Status { get; set; }
    /// <summary>The codes of the table or combined tables the party sits at, e.g. "4+5".</summary>
    public string Tables { get; set; } = "";
    public long? MemberId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Raised by every change; a change or cancel names the version it read, so two at once cannot both win.</summary>
    public int Version { get; set; }
    /// <summary>The Idempotency-Key of the request that made it, unique per shop, so a retry gets this reservation back.</summary>
    public string? IdempotencyKey { get; set; }
    /// <summary>SHA-256 of that request's body: the same key with another body is refused.</summary>
    public string? RequestHash { get; set; }
    /// <summary>When the reminder was queued; set in the transaction that queues it, so it is queued once whatever restarts.</summary>
    public DateTime? RemindedAt { get; set; }
    /// <summary>A party staff seated on the spot, not booked ahead: it has no reminder and no guest e-mail.</summary>
    public bool WalkIn { get; set; }
    /// <summary>When staff checked the party in at its table; from then the table's dine-in orders are the party's.</summary>
    public DateTime? SeatedAt { get; set; }
    /// <summary>When staff marked the party finished (the table's holds after it are given back).</summary>
    public DateTime? FinishedAt { get; set; }

    public bool IsActive => Status is ReservationStatus.Booked or ReservationStatus.Arrived or ReservationStatus.Seated;
}

/// <summary>
/// One quarter hour of one table held by a reservation. The primary key (shop, table, quarter) is the
/// whole capacity rule: two reservations can never hold the same table at the same time, whichever
/// store and however many app processes race for it (see docs/decisions/0024-reservations.md).
/// </summary>
public sealed class TableHold : IShopOwned
{
    public const int QuarterSeconds = 15 * 60;

    public int ShopId { get; set; }
    public int TableId { get; set; }
    /// <summary>Start of the quarter hour as Unix seconds (UTC), a multiple of 900.</summary>
    public long Quarter { get; set; }
    public Guid ReservationId { get; set; }

    /// <summary>The quarters a seating from <paramref name="start"/> to <paramref name="end"/> touches (a partial quarter counts whole).</summary>
    public static IEnumerable<long> Quarters(DateTimeOffset start, DateTimeOffset end)
    {
        var first = start.ToUnixTimeSeconds() / QuarterSeconds * QuarterSeconds;
        for (var q = first; q < end.ToUnixTimeSeconds(); q += QuarterSeconds)
        {
            yield return q;
        }
    }
}

public enum WaitlistStatus
{
    Waiting = 0,
    Offered = 1,
    Booked = 2,
    Removed = 3,
}

/// <summary>
/// A guest waiting for a table on a day that was full. Staff offer a table with one tap when one frees up:
/// the guest gets an e-mail with a link that books it (the booking still has to win the table, like any other).
/// </summary>
public sealed class WaitlistEntry : IShopOwned
{
    public Guid Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>The local date wanted, in the shop's zone.</summary>
    public DateOnly Day { get; set; }
    public int PartySize { get; set; }
    /// <summary>How <see cref="Time"/> is written.</summary>
    public static readonly NodaTime.Text.LocalTimePattern TimePattern = NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>The local time wanted ("19:30"), or empty for any time that day.</summary>
    public string Time { get; set; } = "";
    public required string Name { get; set; }
    public required string Phone { get; set; }
    public required string Email { get; set; }
    public string Language { get; set; } = "en";
    public WaitlistStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When staff last offered a table, and the start offered.</summary>
    public DateTime? OfferedAt { get; set; }
    public DateTime? OfferedStart { get; set; }
}

/// <summary>Tables that can be pushed together for a larger party ("4+5 seat 8").</summary>
public sealed class TableGroup : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public int Seats { get; set; }
    public List<TableGroupMember> Members { get; set; } = [];
}

public sealed class TableGroupMember : IShopOwned
{
    public int GroupId { get; set; }
    public int TableId { get; set; }
    public int ShopId { get; set; }
}

/// <summary>How a shop takes reservations; one row per shop, none until the owner (or the demo) turns them on.</summary>
public sealed class ReservationSettings : IShopOwned
{
    public int ShopId { get; set; }
    public bool Enabled { get; set; }
    /// <summary>Minutes between booking and arriving at the earliest.</summary>
    public int LeadMinutes { get; set; } = 60;
    /// <summary>How many days ahead a table can be booked.</summary>
    public int HorizonDays { get; set; } = 30;
    /// <summary>Until this many minutes before the start a customer may change or cancel online.</summary>
    public int CutoffMinutes { get; set; } = 120;
    /// <summary>Largest party booked online; larger ones call the shop.</summary>
    public int MaxParty { get; set; } = 8;
    /// <summary>Hours before the start the guest is reminded by e-mail; 0 sends no reminder.</summary>
    public int ReminderHours { get; set; } = 3;
    /// <summary>Seating length by party size: "2:90 4:120 8:150" means up to 2 sit 90 minutes, up to 4 120, larger 150.</summary>
    public string Seatings { get; set; } = "2:90 4:120 8:150";

    /// <summary>Minutes a party of <paramref name="party"/> keeps its table.</summary>
    public int SeatingMinutes(int party)
    {
        var rules = ParseSeatings(Seatings) ?? [(int.MaxValue, 120)];
        return rules.FirstOrDefault(r => party <= r.UpTo, rules[^1]).Minutes;
    }

    /// <summary>The seating rules in ascending party size, or null when <paramref name="text"/> is not "size:minutes …" with 15–600 minutes.</summary>
    public static List<(int UpTo, int Minutes)>? ParseSeatings(string text)
    {
        var rules = new List<(int, int)>();
        foreach (var part in text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split(':');
            if (pair.Length != 2 || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var upTo)
                || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || upTo < 1 || minutes is < 15 or > 600
                || (rules.Count > 0 && upTo <= rules[^1].Item1))
            {
                return null;
            }
            rules.Add((upTo, minutes));
        }
        return rules.Count == 0 ? null : rules;
    }
}

internal sealed class ReservationConfiguration : IEntityTypeConfiguration<Reservation>, IEntityTypeConfiguration<TableHold>,
    IEntityTypeConfiguration<TableGroup>, IEntityTypeConfiguration<TableGroupMember>, IEntityTypeConfiguration<ReservationSettings>,
    IEntityTypeConfiguration<WaitlistEntry>
{
    public void Configure(EntityTypeBuilder<WaitlistEntry> entry)
    {
        entry.Property(e => e.Name).HasMaxLength(80);
        entry.Property(e => e.Phone).HasMaxLength(32);
        entry.Property(e => e.Email).HasMaxLength(254);
        entry.Property(e => e.Time).HasMaxLength(5);
        entry.Property(e => e.Language).HasMaxLength(16);
        entry.HasIndex(e => new { e.ShopId, e.Day });
        entry.HasOne<Shop>().WithMany().HasForeignKey(e => e.ShopId).OnDelete(DeleteBehavior.NoAction);
    }

    public void Configure(EntityTypeBuilder<Reservation> reservation)
    {
        reservation.Property(r => r.Name).HasMaxLength(80);
        reservation.Property(r => r.Phone).HasMaxLength(32);
        reservation.Property(r => r.Email).HasMaxLength(254);
        reservation.Property(r => r.Note).HasMaxLength(500);
        reservation.Property(r => r.Language).HasMaxLength(16);
        reservation.Property(r => r.Tables).HasMaxLength(200);
        reservation.Property(r => r.IdempotencyKey).HasMaxLength(255);
        reservation.Property(r => r.RequestHash).HasMaxLength(64);
        reservation.HasIndex(r => new { r.ShopId, r.IdempotencyKey }).IsUnique();
        reservation.HasIndex(r => new { r.ShopId, r.Start });
        reservation.HasOne<Shop>().WithMany().HasForeignKey(r => r.ShopId).OnDelete(DeleteBehavior.NoAction);
    }

    public void Configure(EntityTypeBuilder<TableHold> hold)
    {
        hold.HasKey(h => new { h.ShopId, h.TableId, h.Quarter });
        hold.HasIndex(h => h.ReservationId);
        hold.HasOne<ShopTable>().WithMany().HasForeignKey(h => h.TableId).OnDelete(DeleteBehavior.NoAction);
    }

    public void Configure(EntityTypeBuilder<TableGroup> group)
    {
        group.HasIndex(g => g.ShopId);
        group.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<TableGroupMember> member)
    {
        member.HasKey(m => new { m.GroupId, m.TableId });
        member.HasOne<ShopTable>().WithMany().HasForeignKey(m => m.TableId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ReservationSettings> settings)
    {
        settings.HasKey(s => s.ShopId);
        settings.Property(s => s.Seatings).HasMaxLength(200);
    }
}
