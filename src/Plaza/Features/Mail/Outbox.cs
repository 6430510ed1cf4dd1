using System.Globalization;
using Plaza.Data;

namespace Plaza.Features.Mail;

/// <summary>Queues e-mail in the caller's unit of work; the caller's <c>SaveChanges</c> commits it with the rest.</summary>
public sealed class Outbox(PlazaDb db, MailWorker worker, TimeProvider clock)
{
    public bool CanSend => worker.IsConfigured;

    /// <summary>
    /// Adds the message to the caller's changes and wakes the worker once they are saved, or, inside a
    /// transaction, once <see cref="CommitAsync"/> commits it: woken earlier, the worker would find nothing it can see yet.
    /// </summary>
    public OutboxMail Add(string to, string subject, string body, string? calendar = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = new OutboxMail { To = to, Subject = subject, Body = body, Calendar = calendar, CreatedAt = now, NextAttemptAt = now };
        db.Add(mail);
        db.SavedChanges += (_, _) =>
        {
            if (db.Database.CurrentTransaction is null)
            {
                worker.Wake();
            }
        };
        return mail;
    }

    /// <summary>Commits the caller's transaction, then wakes the worker for the mail it holds.</summary>
    public async Task CommitAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken ct)
    {
        await transaction.CommitAsync(ct);
        worker.Wake();
    }

    /// <summary>Runs <paramref name="write"/> with the UI culture set to <paramref name="language"/>, so a message is worded in its reader's language.</summary>
    public static T In<T>(string language, Func<T> write)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language == "zh-Hans" ? "zh-Hans" : "en");
        try
        {
            return write();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
