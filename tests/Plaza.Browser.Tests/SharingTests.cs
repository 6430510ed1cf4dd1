using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Plaza.Features.Channels;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// Word of mouth, measured: the owner makes a channel for a group chat, a customer comes through it and
/// shares their own link, a friend opens that link and orders, and the channel report credits both.
/// </summary>
public sealed class SharingTests
{
    private const string Password = "a long owner password";

    [Fact]
    public async Task A_friend_ordering_through_a_shared_link_is_credited_to_the_channel_and_to_the_sharer_one_generation_down()
    {
        await using var node = await BrowserNode.StartAsync(publicUrl: true);
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        var owner = await node.SignInAsync("owner@example.com", Password);

        await owner.GotoAsync("/console/demo/channels");
        await owner.GetByLabel("Name").FillAsync("WeChat group");
        await owner.Locator("#add-channel button[type=submit]").ClickAsync();
        var card = owner.Locator("#channel-wechat-group");
        await Expect(card).ToBeVisibleAsync();
        var channelLink = await card.Locator(".link a").TextContentAsync();
        Assert.Equal($"{node.BaseAddress.ToString().TrimEnd('/')}/s/demo/c/wechat-group", channelLink);

        // Mei taps the link in the group chat and shares the shop with a friend.
        var mei = await node.NewPageAsync();
        await mei.GotoAsync(channelLink!);
        await mei.WaitForURLAsync("**/s/demo");
        await mei.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        var shared = mei.Locator("#share-link");
        await Expect(shared).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/demo/c/s-[a-z2-9]{8}$"));
        var meisLink = await shared.InputValueAsync();

        // Her friend opens it and orders.
        var friend = await node.NewPageAsync();
        await friend.GotoAsync(meisLink);
        await friend.WaitForURLAsync("**/s/demo");
        var flatWhite = friend.Locator("article.item", new() { HasText = "Flat white" });
        await flatWhite.Locator("summary").ClickAsync();
        await flatWhite.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await friend.Locator("#cart-bar").ClickAsync();
        await friend.GetByLabel("Name").FillAsync("Li");
        await friend.GetByLabel("Phone").FillAsync("+86 138 0013 8000");
        await friend.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await friend.WaitForURLAsync("**/s/demo/orders/**");

        await node.Services.GetRequiredService<ChannelVisits>().FlushAsync(CancellationToken.None);
        await owner.GotoAsync("/console/demo/channels/report");
        var row = owner.Locator("#channels tr[data-code='wechat-group'] td");
        // Visits 2 (Mei's and her friend's), 1 order, which came through a shared link.
        await Expect(row.Nth(0)).ToHaveTextAsync("WeChat group");
        await Expect(row.Nth(1)).ToHaveTextAsync("2");
        await Expect(row.Nth(2)).ToHaveTextAsync("1");
        await Expect(row.Nth(6)).ToHaveTextAsync("1");
        var referrer = owner.Locator($"#referrers tr[data-code='{meisLink.Split('/')[^1]}'] td");
        await Expect(referrer.Nth(1)).ToHaveTextAsync("1");
        await Expect(referrer.Nth(2)).ToHaveTextAsync("WeChat group");
        await Expect(referrer.Nth(4)).ToHaveTextAsync("1");
        await Expect(owner.Locator("#orders-chart")).ToBeVisibleAsync();
        await BrowserNode.ScreenshotAsync(owner, "channel-report");
    }
}
