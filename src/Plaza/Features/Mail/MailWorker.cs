using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Mail;

/// <summary>
/// Sends the outbox over SMTP (MailKit): woken when mail is queued and every <see cref="MailOptions.PollSeconds"/>.
/// Each message is claimed first (its next attempt moved ahead by a conditional update), so two processes on
/// one store never send it twice; a refused message waits 1, 2, 4 … 60 minutes and is given up after
/// <see cref="MailOptions.MaxAttempts"/> tries.
/// </summary>
public sealed partial class MailWorker(IServiceScopeFactory scopes, IOptions<MailOptions> options, TimeProvider clock, ILogger<MailWorker> log) : BackgroundService
{
    private const int Batch = 20;
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(5);
    private readonly WakeSignal wake = new();

    public bool IsConfigured => options.Value.IsConfigured;

    public void Wake() => wake.Ring();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsConfigured)
        {
            NotConfigured(log);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == Batch)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SendingFailed(log, e);
            }
            try
            {
                await wake.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is due, up to one batch, over one connection; returns how many were due.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMails.Where(m => m.SentAt == null && m.GaveUpAt == null && m.NextAttemptAt <= now)
            .OrderBy(m => m.Id).Take(Batch).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        var o = options.Value;
        using var smtp = new SmtpClient();
        Exception? connectError = null;
        try
        {
            await smtp.ConnectAsync(o.Host!, o.Port, o.Security switch
            {
                "none" => SecureSocketOptions.None,
                "starttls" => SecureSocketOptions.StartTls,
                "tls" => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.Auto,
            }, ct);
            if (!string.IsNullOrEmpty(o.Username))
            {
                await smtp.AuthenticateAsync(o.Username, o.Password ?? "", ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            connectError = e;
        }
        foreach (var mail in due)
        {
            // Claimed by moving its next attempt ahead, only if nobody moved it since it was read.
            var claimed = await db.OutboxMails.Where(m => m.Id == mail.Id && m.NextAttemptAt == mail.NextAttemptAt && m.SentAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + Claim), ct);
            if (claimed == 0)
            {
                continue;
            }
            try
            {
                if (connectError is not null)
                {
                    throw connectError;
                }
                await smtp.SendAsync(Message(o, mail), ct);
                await db.OutboxMails.Where(m => m.Id == mail.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, clock.GetUtcNow().UtcDateTime).SetProperty(m => m.Attempts, mail.Attempts + 1), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var attempts = mail.Attempts + 1;
                var error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                DateTime? gaveUp = attempts >= o.MaxAttempts ? clock.GetUtcNow().UtcDateTime : null;
                var next = now + TimeSpan.FromMinutes(Math.Min(60, 1 << Math.Min(attempts - 1, 6)));
                NotSent(log, mail.Id, attempts, error);
                await db.OutboxMails.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.GaveUpAt, gaveUp), ct);
            }
        }
        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(quit: true, ct);
        }
        return due.Count;
    }

    private static MimeMessage Message(MailOptions o, OutboxMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        var text = new TextPart("plain") { Text = mail.Body };
        if (mail.Calendar is null)
        {
            message.Body = text;
            return message;
        }
        // A calendar entry (a reservation) travels as an .ics attachment beside the words.
        var calendar = new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Calendar))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "reservation.ics",
        };
        calendar.ContentType.Parameters.Add("method", "PUBLISH");
        calendar.ContentType.Charset = "utf-8";
        message.Body = new Multipart("mixed") { text, calendar };
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plaza:Mail:Host is not set: e-mail stays in the outbox.")]
    private static partial void NotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending mail failed; trying again later.")]
    private static partial void SendingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Id} not sent (attempt {Attempts}): {Error}")]
    private static partial void NotSent(ILogger logger, long id, int attempts, string error);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
