using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Catalog;

/// <summary>One menu item as a CSV row (RFC 4180), prices in major units as a person types them.</summary>
public sealed record MenuCsvRow(string Category, string Name, string Description, long Price, string TaxCategory, string Tags,
    Allergens Allergens, int? Stock, bool SoldOut, List<OptionGroup> OptionGroups);

/// <summary>One row of an import as the preview shows it: what it adds or changes.</summary>
public sealed record MenuImportLine(string Category, string Name, bool NewCategory, bool NewItem, long? OldPrice, long Price, bool Changed);

public static class MenuCsv
{
    public static readonly string[] Header = ["category", "name", "description", "price", "tax_category", "tags", "allergens", "stock", "sold_out", "options"];

    /// <summary>The same columns as a Chinese owner names them in a sheet made by hand.</summary>
    public static readonly string[] ChineseHeader = ["分类", "名称", "描述", "价格", "税类", "标签", "过敏原", "库存", "售罄", "选项"];

    public static string Write(IEnumerable<Item> items, IReadOnlyDictionary<int, string> categories, int digits)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Header).Append("\r\n");
        foreach (var item in items)
        {
            var options = OptionsText(item.OptionGroups, digits);
            string[] fields =
            [
                categories.GetValueOrDefault(item.CategoryId, ""), item.Name, item.Description, Major(item.Price, digits), item.TaxCategory, item.Tags,
                string.Join(' ', MenuQuery.AllergenNames(item.Allergens)), item.Stock?.ToString(CultureInfo.InvariantCulture) ?? "", item.SoldOut ? "yes" : "no", options,
            ];
            text.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }
        return text.ToString();
    }

    public static (List<MenuCsvRow> Rows, List<string> Errors) Read(string csv, int digits)
    {
        var rows = new List<MenuCsvRow>();
        var errors = new List<string>();
        var records = Parse(csv).Select(r => r.Select(UnmarkFormula).ToList()).ToList();
        if (records.Count == 0 || !(records[0].Select(h => h.Trim().ToLowerInvariant()).SequenceEqual(Header)
            || records[0].Select(h => h.Trim()).SequenceEqual(ChineseHeader)))
        {
            errors.Add(Text.Say("The first row must be: {0}.", string.Join(',', Header)));
            return (rows, errors);
        }
        foreach (var (record, index) in records.Skip(1).Select((r, i) => (r, i + 2)))
        {
            if (record.Count == 1 && string.IsNullOrWhiteSpace(record[0]))
            {
                continue;
            }
            if (record.Count != Header.Length)
            {
                errors.Add(Text.Say("Row {0} has {1} fields, not {2}.", index, record.Count, Header.Length));
                continue;
            }
            var price = MinorUnits(record[3], digits);
            if (string.IsNullOrWhiteSpace(record[0]) || string.IsNullOrWhiteSpace(record[1]) || price is null or < 0)
            {
                errors.Add(Text.Say("Row {0} needs a category, a name and a price.", index));
                continue;
            }
            var allergens = Allergens.None;
            foreach (var word in record[6].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (Enum.TryParse<Allergens>(word, ignoreCase: true, out var a) && !int.TryParse(word, out _))
                {
                    allergens |= a;
                }
                else
                {
                    errors.Add(Text.Say("Row {0}: '{1}' is not one of the 14 allergens.", index, word));
                }
            }
            int? stock = int.TryParse(record[7], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
            var groups = Options(record[9], digits, out var optionError);
            if (optionError is not null)
            {
                errors.Add(Text.Say("Row {0}: {1}", index, optionError));
                continue;
            }
            rows.Add(new MenuCsvRow(record[0].Trim(), record[1].Trim(), record[2].Trim(), price.Value,
                string.IsNullOrWhiteSpace(record[4]) ? "food" : record[4].Trim(), record[5].Trim().ToLowerInvariant(), allergens, stock,
                record[8].Trim().ToLowerInvariant() is "yes" or "true" or "1" or "是", groups));
        }
        return (rows, errors);
    }

    /// <summary>Option groups as the CSV writes them: "Size(1-1): Regular +0.00 | Large +0.60; …".</summary>
    public static string OptionsText(IEnumerable<OptionGroup> groups, int digits) =>
        string.Join("; ", groups.OrderBy(g => g.Position).Select(g =>
            $"{g.Name}({g.MinSelect}-{g.MaxSelect}): " + string.Join(" | ", g.Options.OrderBy(o => o.Position).Select(o => $"{o.Name} +{Major(o.PriceDelta, digits)}"))));

    /// <summary>What importing <paramref name="rows"/> would do to the menu as it is, row by row, without changing it.</summary>
    public static List<MenuImportLine> Plan(List<MenuCsvRow> rows, List<Category> categories, List<Item> items, int digits)
    {
        var lines = new List<MenuImportLine>();
        var newCategories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var category = categories.FirstOrDefault(c => c.Name == row.Category);
            var isNewCategory = category is null && newCategories.Add(row.Category);
            var item = category is null ? null : items.FirstOrDefault(i => i.CategoryId == category.Id && i.Name == row.Name);
            var changed = item is null || item.Description != row.Description || item.Price != row.Price || item.TaxCategory != row.TaxCategory
                || item.Tags != row.Tags || item.Allergens != row.Allergens || item.Stock != row.Stock || item.SoldOut != row.SoldOut
                || (row.OptionGroups.Count > 0 || item.OptionGroups.Count > 0) && OptionsText(item.OptionGroups, digits) != OptionsText(row.OptionGroups, digits);
            lines.Add(new MenuImportLine(row.Category, row.Name, isNewCategory, item is null, item?.Price, row.Price, changed));
        }
        return lines;
    }

    /// <summary>Adds new items and updates those whose category and name match; returns what each row added or changed.</summary>
    public static async Task<IReadOnlyCollection<MenuChange>> ImportAsync(PlazaDb db, int shopId, List<MenuCsvRow> rows, CancellationToken ct)
    {
        var changes = new Dictionary<Item, MenuChange>(ReferenceEqualityComparer.Instance);
        var categories = await db.Categories.ToListAsync(ct);
        var items = await db.Items.Include(i => i.OptionGroups).ThenInclude(g => g.Options).AsSplitQuery().ToListAsync(ct);
        foreach (var row in rows)
        {
            var category = categories.FirstOrDefault(c => c.Name == row.Category);
            if (category is null)
            {
                category = new Category { ShopId = shopId, Name = row.Category, Position = categories.Count };
                categories.Add(category);
                db.Categories.Add(category);
                await db.SaveChangesAsync(ct);
            }
            var item = items.FirstOrDefault(i => i.CategoryId == category.Id && i.Name == row.Name);
            if (item is null)
            {
                item = new Item { ShopId = shopId, CategoryId = category.Id, Name = row.Name, TaxCategory = row.TaxCategory, Position = items.Count(i => i.CategoryId == category.Id) };
                items.Add(item);
                db.Items.Add(item);
            }
            // A row repeated in one file keeps the first state it saw: new stays new, the old price stays the old one.
            changes.TryAdd(item, new MenuChange(item, item.Id == 0 ? null : item.Price));
            item.Description = row.Description;
            item.Price = row.Price;
            item.TaxCategory = row.TaxCategory;
            item.Tags = row.Tags;
            item.Allergens = row.Allergens;
            item.Stock = row.Stock;
            item.SoldOut = row.SoldOut;
            if (row.OptionGroups.Count > 0 || item.OptionGroups.Count > 0)
            {
                db.OptionGroups.RemoveRange(item.OptionGroups);
                item.OptionGroups = row.OptionGroups;
                foreach (var group in item.OptionGroups)
                {
                    group.ShopId = shopId;
                    group.Options.ForEach(o => o.ShopId = shopId);
                }
            }
        }
        await db.SaveChangesAsync(ct);
        return changes.Values;
    }

    /// <summary>
    /// "Size(1-1): Regular +0.00 | Large +0.60; Extras(0-3): Shot +0.70", or typed on a Chinese keyboard
    /// "面型（1-1）：细 +0 ｜ 宽 +0；加料（0-2）：牛肉 +８": NFKC folds the full-width brackets, colon, bar,
    /// semicolon, plus and digits first. <paramref name="error"/> is worded in the current UI culture.
    /// </summary>
    public static List<OptionGroup> Options(string text, int digits, out string? error)
    {
        error = null;
        text = Typed.Plain(text);
        var groups = new List<OptionGroup>();
        foreach (var (part, position) in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((p, i) => (p, i)))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var open = part.IndexOf('(', StringComparison.Ordinal);
            var close = part.IndexOf(')', StringComparison.Ordinal);
            if (colon < 0 || open < 0 || close < open || close > colon)
            {
                error = Text.Say("Options '{0}' should look like 'Size(1-1): Regular +0.00 | Large +0.60'.", part);
                return [];
            }
            var range = part[(open + 1)..close].Split('-');
            if (range.Length != 2 || !int.TryParse(range[0], out var min) || !int.TryParse(range[1], out var max) || min < 0 || max < 1 || min > max)
            {
                error = Text.Say("'{0}' needs a range like (0-2) with min ≤ max.", part[..(close + 1)]);
                return [];
            }
            var group = new OptionGroup { Name = part[..open].Trim(), MinSelect = min, MaxSelect = max, Position = position };
            foreach (var (choice, index) in part[(colon + 1)..].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((c, i) => (c, i)))
            {
                var plus = choice.LastIndexOf('+');
                var delta = plus < 0 ? 0 : MinorUnits(choice[(plus + 1)..], digits);
                if (delta is null)
                {
                    error = Text.Say("'{0}' has a price that is not a number.", choice);
                    return [];
                }
                group.Options.Add(new Option { Name = (plus < 0 ? choice : choice[..plus]).Trim(), PriceDelta = delta.Value, Position = index });
            }
            if (group.Options.Count < Math.Max(1, min))
            {
                error = Text.Say("'{0}' needs at least {1} options.", group.Name, Math.Max(1, min));
                return [];
            }
            groups.Add(group);
        }
        return groups;
    }

    public static string Major(long minor, int digits) =>
        (minor / (decimal)Math.Pow(10, digits)).ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>An amount as typed ("3.50", or "３．５０" on a Chinese keyboard) in minor units; null when it is not one.</summary>
    public static long? MinorUnits(string text, int digits) =>
        decimal.TryParse(Typed.Plain(text).Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var major)
        && decimal.Round(major * (decimal)Math.Pow(10, digits)) == major * (decimal)Math.Pow(10, digits)
            ? (long)(major * (decimal)Math.Pow(10, digits))
            : null;

    /// <summary>A CSV field: quoted where it needs to be, and kept from running as a spreadsheet formula.</summary>
    internal static string Quote(string field)
    {
        field = MarkFormula(field);
        return field.IndexOfAny([',', '"', '\n', '\r']) >= 0 || field.StartsWith(' ') ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    // Spreadsheet programs run a cell starting with = + - @, a tab or a carriage return as a formula,
    // quoted or not (CSV injection). Such a cell is written with a ' before it, as OWASP advises, so it
    // stays text; so is one that already starts with ' before such a character, so that UnmarkFormula
    // can take exactly one ' off on import and an exported menu imports unchanged. Every cell is
    // treated alike: the numbers this file holds (prices, stock) are never negative.
    private static bool IsFormula(string field) => field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    internal static string MarkFormula(string field) => IsFormula(field.TrimStart('\'')) ? "'" + field : field;

    internal static string UnmarkFormula(string field) => field.StartsWith('\'') && IsFormula(field.TrimStart('\'')) ? field[1..] : field;

    /// <summary>
    /// RFC 4180 records; a file whose first line has tabs and no commas is read as tab-separated (what Excel saves as
    /// "Unicode text").
    /// </summary>
    internal static List<List<string>> Parse(string csv)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        csv = csv.TrimStart('\uFEFF');
        var firstLine = csv.AsSpan(0, csv.AsSpan().IndexOfAny('\r', '\n') is var end and >= 0 ? end : csv.Length);
        var separator = firstLine.Contains('\t') && !firstLine.Contains(',') ? '\t' : ',';
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
                {
                    i++;
                }
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}
