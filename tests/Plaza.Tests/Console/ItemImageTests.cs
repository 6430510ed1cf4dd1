using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using SkiaSharp;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

public sealed class ItemImageTests
{
    /// <summary>A plain PNG photo of the given size.</summary>
    internal static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(180, 110, 60));
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static async Task<HttpResponseMessage> UploadAsync(ConsoleSession owner, TestShop shop, byte[] bytes, string fileName, string contentType)
    {
        var page = $"/console/{shop.Slug}/menu/items/{shop.Cake.Id}";
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new(contentType);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await owner.TokenAsync(page)), "__RequestVerificationToken" },
            { new StringContent("Cake"), "Form.Name" },
            { new StringContent("4.50"), "Form.Price" },
            { new StringContent(shop.Cake.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "Form.CategoryId" },
            { new StringContent("food"), "Form.TaxCategory" },
            { file, "Form.Image", fileName },
        };
        return await owner.Client.PostAsync(page, form);
    }

    private static Task<string?> ImageUrlAsync(PlazaApp app, TestShop shop) =>
        app.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Cake.Id).Select(i => i.ImageUrl).SingleAsync());

    [Fact]
    public async Task An_uploaded_photo_is_resized_re_encoded_and_served_with_long_caching()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));

        var saved = await UploadAsync(owner, shop, Png(1600, 1200), "cake.png", "image/png");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var url = await ImageUrlAsync(app, shop);
        Assert.NotNull(url);
        var served = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/webp", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var decoded = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync());
        Assert.Equal((800, 600), (decoded.Width, decoded.Height));
        Assert.Contains(url, await app.CreateClient().GetStringAsync($"/s/{shop.Slug}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_photo_is_refused_and_nothing_changes()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));

        var refused = await UploadAsync(owner, shop, "<script>alert(1)</script>"u8.ToArray(), "cake.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not a JPEG, PNG or WebP photo", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await ImageUrlAsync(app, shop));
    }

    [Fact]
    public async Task A_photo_over_five_megabytes_is_refused()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var big = new byte[6 * 1024 * 1024];
        Png(10, 10).CopyTo(big, 0);

        var refused = await UploadAsync(owner, shop, big, "huge.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(await ImageUrlAsync(app, shop));
    }
}
