namespace Plaza.Features.Mail;

/// <summary>
/// How the node sends e-mail (<c>Plaza:Mail</c>): an SMTP server the operator names. Without a host nothing is
/// sent; messages wait in the outbox and whatever needs mail (sign-up) says it is not available.
/// </summary>
public sealed class MailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary><c>auto</c> (STARTTLS when offered), <c>starttls</c>, <c>tls</c> (TLS from the start, port 465) or <c>none</c>.</summary>
    public string Security { get; set; } = "auto";
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, e.g. <c>Plaza &lt;noreply@shops.example&gt;</c>.</summary>
    public string From { get; set; } = "Plaza <noreply@localhost>";
    /// <summary>How often the worker looks for mail due, besides being woken when mail is queued.</summary>
    public int PollSeconds { get; set; } = 30;
    /// <summary>Failures before the worker gives a message up (with pauses of 1, 2, 4 … 60 minutes, about 7 hours in all).</summary>
    public int MaxAttempts { get; set; } = 10;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
