using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Plaza.Features.Mail;

/// <summary>
/// An e-mail waiting to be sent, or sent. Written in the same transaction as what it tells of (a sign-up, later
/// an order or a reservation), so a message is never lost nor sent for something that did not happen; the
/// <see cref="MailWorker"/> sends it and retries with growing pauses while the mail server refuses.
/// </summary>
public sealed class OutboxMail
{
    public long Id { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    /// <summary>Plain text, already in the recipient's language.</summary>
    public required string Body { get; set; }
    /// <summary>An iCalendar file (RFC 5545) sent as <c>reservation.ics</c> beside the body; null for plain mail.</summary>
    public string? Calendar { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the worker may next try; moved ahead while one worker holds it, so two processes never send it twice.</summary>
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Set after <see cref="MailOptions.MaxAttempts"/> failures: the operator sees it, the worker leaves it.</summary>
    public DateTime? GaveUpAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMailConfiguration : IEntityTypeConfiguration<OutboxMail>
{
    public void Configure(EntityTypeBuilder<OutboxMail> mail)
    {
        mail.Property(m => m.To).HasMaxLength(320);
        mail.Property(m => m.Subject).HasMaxLength(300);
        mail.Property(m => m.Body).HasMaxLength(20_000);
        mail.Property(m => m.Calendar).HasMaxLength(20_000);
        mail.Property(m => m.LastError).HasMaxLength(1000);
        mail.HasIndex(m => new { m.SentAt, m.GaveUpAt, m.NextAttemptAt });
    }
}
