using System.Buffers.Binary;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using SkiaSharp;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>The tests share a node (<see cref="SharedNodes"/>), each with a shop and an owner account of its own.</summary>
public sealed class ItemImageTests(SharedNodes nodes) : IClassFixture<SharedNodes>
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

    /// <summary>A photo of the given size and format, one colour (a few KB, however large it claims to be on screen).</summary>
    private static byte[] Photo(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(180, 110, 60));
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    /// <summary>A real 1 × 1 PNG whose header (IHDR, with a correct CRC) claims <paramref name="width"/> × <paramref name="height"/>.</summary>
    internal static byte[] PngClaiming(int width, int height)
    {
        var png = Png(1, 1);
        // Signature (8), then IHDR: length (4), "IHDR" (4), width (4), height (4), 5 more bytes, CRC of type and data.
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>A real small JPEG whose frame header (SOF0: FF C0, length, precision, height, width) claims <paramref name="width"/> × <paramref name="height"/>.</summary>
    private static byte[] JpegClaiming(int width, int height)
    {
        var jpeg = Photo(16, 16, SKEncodedImageFormat.Jpeg);
        var sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "The encoder wrote no baseline frame header.");
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)width);
        return jpeg;
    }

    /// <summary>CRC-32 as PNG chunks use it (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
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
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));

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
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));

        var refused = await UploadAsync(owner, shop, "<script>alert(1)</script>"u8.ToArray(), "cake.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not a JPEG, PNG or WebP photo", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await ImageUrlAsync(app, shop));
    }

    [Fact]
    public async Task A_photo_over_five_megabytes_is_refused()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var big = new byte[6 * 1024 * 1024];
        Png(10, 10).CopyTo(big, 0);

        var refused = await UploadAsync(owner, shop, big, "huge.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(await ImageUrlAsync(app, shop));
    }

    [Fact]
    public async Task A_multipart_body_that_is_cut_off_or_malformed_is_refused_with_a_400()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        // What the fuzzer sent (a 500 before): a multipart content type over a body with no boundary in it, and one cut off mid-part.
        foreach (var body in new[] { "{\"type\":\"pickup\"}", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\u0089PNG" })
        {
            using var content = new StringContent(body);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
            var refused = await staff.PostAsync($"/api/v1/shops/{shop.Slug}/promotions/images", content);
            Asserts.HasFieldError(await Asserts.ProblemAsync(refused, HttpStatusCode.BadRequest, "invalid-request"), "file");
        }
    }

    [Fact]
    public async Task A_tiny_PNG_claiming_12000_by_12000_pixels_is_refused_from_its_header_and_nothing_is_stored()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var bomb = PngClaiming(12_000, 12_000);
        using (var header = SKCodec.Create(new MemoryStream(bomb)))
        {
            Assert.Equal((12_000, 12_000), (header.Info.Width, header.Info.Height));
        }
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        var file = new ByteArrayContent(bomb);
        file.Headers.ContentType = new("image/png");
        using var form = new MultipartFormDataContent { { file, "file", "bomb.png" } };

        var refused = await staff.PostAsync($"/api/v1/shops/{shop.Slug}/promotions/images", form);

        var problem = await Asserts.ProblemAsync(refused, HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal(ItemImages.TooLarge, problem.GetProperty("errors").GetProperty("file")[0].GetString());
        var media = Path.Combine(app.Services.GetRequiredService<ItemImages>().Root, shop.Shop.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(Directory.Exists(media) && Directory.EnumerateFiles(media).Any());

        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var onThePage = await UploadAsync(owner, shop, PngClaiming(9_000, 5_000), "wide.png", "image/png");
        Assert.Equal(HttpStatusCode.BadRequest, onThePage.StatusCode);
        Assert.Contains("at most 40 megapixels", await onThePage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await ImageUrlAsync(app, shop));
    }

    [Fact]
    public async Task A_JPEG_claiming_48_megapixels_is_refused_from_its_header()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var claim = JpegClaiming(8_000, 6_000);
        using (var header = SKCodec.Create(new MemoryStream(claim)))
        {
            Assert.Equal((8_000, 6_000), (header.Info.Width, header.Info.Height));
        }

        var refused = await UploadAsync(owner, shop, claim, "big.jpg", "image/jpeg");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("at most 40 megapixels", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await ImageUrlAsync(app, shop));
    }

    [Fact]
    public async Task A_PNG_over_16_megapixels_is_refused_because_it_would_be_decoded_whole()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));

        var refused = await UploadAsync(owner, shop, PngClaiming(5_000, 4_000), "big.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("16 for a PNG", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await ImageUrlAsync(app, shop));
    }

    [Fact]
    public async Task The_too_large_message_is_in_Chinese_for_a_Chinese_console()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        owner.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var refused = await UploadAsync(owner, shop, PngClaiming(12_000, 12_000), "bomb.png", "image/png");

        Assert.Contains("这张照片太大", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public async Task A_large_photo_in_each_format_is_stored_at_the_target_size(SKEncodedImageFormat format)
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));

        var saved = await UploadAsync(owner, shop, Photo(4000, 3000, format), "photo", "image/" + format.ToString().ToLowerInvariant());

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using var stored = SKBitmap.Decode(await app.CreateClient().GetByteArrayAsync(await ImageUrlAsync(app, shop)));
        Assert.Equal((800, 600), (stored.Width, stored.Height));
        var middle = stored.GetPixel(400, 300);
        Assert.True(Math.Abs(middle.Red - 180) <= 4 && Math.Abs(middle.Green - 110) <= 4 && Math.Abs(middle.Blue - 60) <= 4, $"The colour came out as {middle}.");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void A_large_JPEG_or_WebP_is_decoded_near_the_target_size_never_whole(SKEncodedImageFormat format)
    {
        using var codec = SKCodec.Create(new MemoryStream(Photo(4000, 3000, format)));

        using var decoded = ItemImages.Decode(codec, 800);

        Assert.NotNull(decoded);
        Assert.InRange(decoded.Width, 800, 1599);
        Assert.InRange(decoded.Height, 600, 1199);
    }
}
