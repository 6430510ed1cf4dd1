using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Mail;
using Plaza.Features.SignUp;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.SignUp;

/// <summary>
/// Opening a shop by asking, on a node whose operator allows it: closed by default, an e-mailed code (sent over
/// SMTP to a real server) proves the address, and nothing exists until the operator approves.
/// </summary>
public sealed partial class SignUpTests
{
    private static async Task<(PlazaApp App, SmtpSink Mail, ConsoleSession Operator)> StartAsync(Store store)
    {
        var mail = await SmtpSink.StartAsync();
        var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var op = await ConsoleSession.SignedInAsync(app, "operator@example.com");
        await app.WithDb(null, db => db.Accounts.Where(a => a.Email == "operator@example.com").ExecuteUpdateAsync(u => u.SetProperty(a => a.IsOperator, true)));
        return (app, mail, op);
    }

    private static Dictionary<string, string> Form(string email, string slug, string language = "en") => new()
    {
        ["Form.Name"] = "Wang Fang",
        ["Form.Email"] = email,
        ["Form.Password"] = "noodles every day",
        ["Form.ShopName"] = "兰州拉面",
        ["Form.Slug"] = slug,
        ["Form.Currency"] = "CNY",
        ["Form.TimeZone"] = "Asia/Shanghai",
        ["Form.Language"] = language,
    };

    [Fact]
    public async Task Sign_up_is_closed_until_the_operator_opens_it()
    {
        var (app, mail, op) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        await using var __ = mail;
        using var ___ = op;
        using var visitor = ConsoleSession.Anonymous(app);

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync("/console/sign-up")).StatusCode);
        Assert.DoesNotContain("/console/sign-up", await visitor.Client.GetStringAsync("/console/sign-in"), StringComparison.Ordinal);

        var opened = await op.PostFormAsync("/console/node/sign-ups?handler=Setting", new() { ["open"] = "true" }, await op.TokenAsync("/console/node/sign-ups"));
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Contains("href=\"/console/sign-up\"", await visitor.Client.GetStringAsync("/console/sign-in"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Client.GetAsync("/console/sign-up")).StatusCode);

        // A shop owner who is not the operator cannot open or see it.
        using var owner = await ConsoleSession.SignedInAsync(app, "someone@example.com");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync("/console/node/sign-ups")).StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_e_mailed_code_then_the_operators_approval_open_the_shop_and_its_owner_signs_in_with_the_password_they_chose(Store store)
    {
        var (app, mail, op) = await StartAsync(store);
        await using var _ = app;
        await using var __ = mail;
        using var ___ = op;
        await op.PostFormAsync("/console/node/sign-ups?handler=Setting", new() { ["open"] = "true" }, await op.TokenAsync("/console/node/sign-ups"));
        using var wang = ConsoleSession.Anonymous(app);

        // Bad input changes nothing: a reserved address, a short password.
        var bad = Form("wang@example.com", "sign-in");
        bad["Form.Password"] = "short";
        var refused = await wang.PostFormAsync("/console/sign-up", bad, await wang.TokenAsync("/console/sign-up"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(0, await app.WithDb(null, db => db.SignUpRequests.CountAsync()));

        var asked = await wang.PostFormAsync("/console/sign-up", Form("Wang@Example.com", "lanzhou", "zh-Hans"), await wang.TokenAsync("/console/sign-up"));
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var status = asked.Headers.Location!.OriginalString;
        Assert.Matches("^/console/sign-up/[0-9a-f]{32}$", status);

        // The code arrives in the shop's language, over SMTP.
        var codeMail = await mail.WaitForAsync("wang@example.com");
        Assert.StartsWith("开设 兰州拉面 的验证码：", codeMail.Subject, StringComparison.Ordinal);
        var code = SixDigits().Match(codeMail.TextBody!).Value;
        Assert.Contains($"http://localhost{status}", codeMail.TextBody, StringComparison.Ordinal);

        // A wrong code is refused; the right one, typed on a Chinese keyboard in full-width digits, confirms.
        var wrong = await wang.PostFormAsync(status, new() { ["Code"] = code == "000000" ? "111111" : "000000" }, await wang.TokenAsync(status));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var fullWidth = new string([.. code.Select(c => (char)(c - '0' + '０'))]);
        Assert.Equal(HttpStatusCode.Redirect, (await wang.PostFormAsync(status, new() { ["Code"] = fullWidth }, await wang.TokenAsync(status))).StatusCode);
        Assert.Contains("data-state=\"Verified\"", await wang.Client.GetStringAsync(status), StringComparison.Ordinal);

        // The operator is told, and nothing exists yet: no account, no shop.
        var toOperator = await mail.WaitForAsync("operator@example.com");
        Assert.Contains("http://localhost/console/node/sign-ups", toOperator.TextBody, StringComparison.Ordinal);
        Assert.False(await app.WithDb(null, db => db.Shops.AnyAsync(s => s.Slug == "lanzhou")));
        using (var early = ConsoleSession.Anonymous(app))
        {
            Assert.NotEqual(HttpStatusCode.Redirect, (await early.SignInAsync("wang@example.com", "noodles every day")).StatusCode);
        }

        // The operator approves, twice (a double click): one shop, one account, one mail.
        var id = await app.WithDb(null, db => db.SignUpRequests.Select(r => r.Id).SingleAsync());
        var token = await op.TokenAsync("/console/node/sign-ups");
        await Task.WhenAll(
            op.PostFormAsync($"/console/node/sign-ups?handler=Approve&id={id}", [], token),
            op.PostFormAsync($"/console/node/sign-ups?handler=Approve&id={id}", [], token));
        var opened = await mail.WaitForAsync("wang@example.com", skip: 1);
        Assert.Equal("您的店铺 兰州拉面 已开通", opened.Subject);
        var shop = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == "lanzhou"));
        Assert.Equal(("CNY", "Asia/Shanghai", "zh-Hans"), (shop.Currency, shop.TimeZone, shop.DefaultLanguage));
        Assert.Equal(1, await app.WithDb(null, db => db.Accounts.CountAsync(a => a.Email == "wang@example.com")));
        // Two mails to the owner were ever queued (the code, then "opened"), and once the outbox has sent all it holds,
        // two arrived: no fixed wait, the outbox being empty is the event.
        Assert.Equal(2, await app.WithDb(null, db => db.OutboxMails.CountAsync(m => m.To == "wang@example.com")));
        for (var deadline = DateTime.UtcNow.AddSeconds(20); await app.WithDb(null, db => db.OutboxMails.AnyAsync(m => m.SentAt == null));)
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox still held unsent mail after 20 s.");
            await Task.Delay(50);
        }
        Assert.Equal(2, mail.Received.Count(m => m.To.Mailboxes.Any(a => a.Address == "wang@example.com")));

        // The owner signs in with the password chosen at sign-up and lands in the new shop's console.
        using var owner = ConsoleSession.Anonymous(app);
        var signedIn = await owner.SignInAsync("wang@example.com", "noodles every day");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/console/lanzhou/settings")).StatusCode);
        Assert.Contains("data-state=\"Approved\"", await wang.Client.GetStringAsync(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_codes_spend_the_code_even_when_guessed_in_parallel_and_a_new_one_is_mailed()
    {
        var (app, mail, op) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        await using var __ = mail;
        using var ___ = op;
        await op.PostFormAsync("/console/node/sign-ups?handler=Setting", new() { ["open"] = "true" }, await op.TokenAsync("/console/node/sign-ups"));
        using var guesser = ConsoleSession.Anonymous(app);
        var asked = await guesser.PostFormAsync("/console/sign-up", Form("li@example.com", "li-bakery"), await guesser.TokenAsync("/console/sign-up"));
        var status = asked.Headers.Location!.OriginalString;
        var code = SixDigits().Match((await mail.WaitForAsync("li@example.com")).TextBody!).Value;
        var token = await guesser.TokenAsync(status);

        var wrong = Enumerable.Range(0, 12).Select(i => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1 + i) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
        await Task.WhenAll(wrong.Select(w => guesser.PostFormAsync(status, new() { ["Code"] = w }, token)));

        Assert.Equal(SignUpRequest.MaxCodeAttempts, await app.WithDb(null, db => db.SignUpRequests.Select(r => r.CodeAttempts).SingleAsync()));
        // Even the right code is refused now.
        Assert.Equal(HttpStatusCode.BadRequest, (await guesser.PostFormAsync(status, new() { ["Code"] = code }, token)).StatusCode);
        Assert.Contains("data-state=\"Unverified\"", await guesser.Client.GetStringAsync(status), StringComparison.Ordinal);

        await guesser.PostFormAsync(status + "?handler=Resend", [], token);
        var fresh = SixDigits().Match((await mail.WaitForAsync("li@example.com", skip: 1)).TextBody!).Value;
        Assert.Equal(HttpStatusCode.Redirect, (await guesser.PostFormAsync(status, new() { ["Code"] = fresh }, token)).StatusCode);
        Assert.Contains("data-state=\"Verified\"", await guesser.Client.GetStringAsync(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_the_server_refuses_waits_in_the_outbox_and_goes_out_once_the_server_is_back()
    {
        // A socket bound but not listening: the port is this test's, and a connection to it is refused.
        var refusing = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        refusing.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)refusing.LocalEndPoint!).Port;
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock: clock, configure: a =>
        {
            a.Settings["Plaza:Mail:Host"] = "127.0.0.1";
            a.Settings["Plaza:Mail:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            a.Settings["Plaza:Mail:Security"] = "none";
            a.Settings["Plaza:Mail:PollSeconds"] = "3600"; // the test drives the worker itself
        });
        var worker = app.Services.GetRequiredService<MailWorker>();
        await app.WithDb(null, db =>
        {
            db.OutboxMails.Add(new OutboxMail { To = "x@example.com", Subject = "Hi", Body = "Hello", CreatedAt = clock.GetUtcNow().UtcDateTime, NextAttemptAt = clock.GetUtcNow().UtcDateTime });
            return db.SaveChangesAsync();
        });

        // Nobody listens on the port: the attempt is counted and the message waits a minute.
        await worker.SendDueAsync(CancellationToken.None);
        var waiting = await app.WithDb(null, db => db.OutboxMails.SingleAsync());
        Assert.Equal((1, (DateTime?)null), (waiting.Attempts, waiting.SentAt));
        Assert.NotNull(waiting.LastError);
        Assert.Equal(0, await worker.SendDueAsync(CancellationToken.None));

        // The server is back and the minute has passed: sent once.
        refusing.Dispose();
        await using var server = await SmtpSink.StartOnAsync(port);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await worker.SendDueAsync(CancellationToken.None));
        Assert.Equal("Hello", (await server.WaitForAsync("x@example.com")).TextBody!.Trim());
        Assert.NotNull(await app.WithDb(null, db => db.OutboxMails.Select(m => m.SentAt).SingleAsync()));
        Assert.Equal(0, await worker.SendDueAsync(CancellationToken.None));
    }

    [GeneratedRegex(@"(?<![0-9])[0-9]{6}(?![0-9])")]
    private static partial Regex SixDigits();
}
