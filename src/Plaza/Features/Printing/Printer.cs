using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Printing;

/// <summary>What a printer prints: the kitchen's tickets (lines only, routed by category) or the counter's receipts.</summary>
public enum PrinterRole
{
    Kitchen = 0,
    Receipt = 1,
}

/// <summary>When an order's paper comes out.</summary>
public enum PrintMoment
{
    OnAccept = 0,
    OnArrival = 1,
}

/// <summary>
/// A network thermal printer of a shop, reached at <see cref="Host"/>:<see cref="Port"/> with ESC/POS (the
/// raw port 9100 every restaurant printer has). Its state is what the last attempt found.
/// </summary>
public sealed class Printer : IShopOwned
{
    public const int DefaultPort = 9100;

    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Name { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; } = DefaultPort;
    /// <summary>58 or 80 (mm): 32 or 48 characters a line.</summary>
    public int PaperWidth { get; set; } = 80;
    public PrinterRole Role { get; set; }
    public PrintMoment PrintOn { get; set; }
    /// <summary>For a kitchen printer: the categories whose lines it prints; empty means all.</summary>
    public List<int> CategoryIds { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? LastPrintedAt { get; set; }
    /// <summary>Set while the printer cannot be reached or reports a fault; cleared by the next print.</summary>
    public string? Fault { get; set; }
    public DateTime? FaultSince { get; set; }

    public int Columns => PaperWidth <= 58 ? 32 : 48;
}

public enum PrintKind
{
    Ticket = 0,
    Receipt = 1,
}

/// <summary>
/// One piece of paper owed to a printer: a durable queue row, so a printer that is off or out of paper prints it
/// when it comes back, also after the node restarts. <see cref="Key"/> is unique, so an order's automatic ticket is
/// owed once however often it is asked for; a reprint has a key of its own.
/// </summary>
public sealed class PrintJob : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public int PrinterId { get; set; }
    public Guid OrderId { get; set; }
    public PrintKind Kind { get; set; }
    public required string Key { get; set; }
    public bool Reprint { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? PrintedAt { get; set; }
    public DateTime? GaveUpAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class PrintingConfiguration : IEntityTypeConfiguration<Printer>, IEntityTypeConfiguration<PrintJob>
{
    public void Configure(EntityTypeBuilder<Printer> printer)
    {
        printer.Property(p => p.Name).HasMaxLength(48);
        printer.Property(p => p.Host).HasMaxLength(253);
        printer.Property(p => p.Fault).HasMaxLength(300);
        printer.HasIndex(p => p.ShopId);
        printer.HasOne<Shop>().WithMany().HasForeignKey(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<PrintJob> job)
    {
        job.Property(j => j.Key).HasMaxLength(100);
        job.Property(j => j.LastError).HasMaxLength(300);
        job.HasIndex(j => new { j.PrinterId, j.Key }).IsUnique();
        job.HasIndex(j => j.NextAttemptAt).HasFilter("\"PrintedAt\" IS NULL AND \"GaveUpAt\" IS NULL");
        job.HasIndex(j => j.OrderId);
        job.HasOne<Printer>().WithMany().HasForeignKey(j => j.PrinterId).OnDelete(DeleteBehavior.Cascade);
        job.HasOne<Order>().WithMany().HasForeignKey(j => j.OrderId);
    }
}
