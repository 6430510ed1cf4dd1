namespace Plaza.Features.Catalog;

/// <summary>
/// The triggers that raise <see cref="Shop.CatalogVersion"/> on every insert, update and delete of
/// what a storefront shows or an order is checked against. They live in the database, not in
/// SaveChanges, so bulk updates (the stock decrement, a pause), CSV imports and a second app
/// process on the same PostgreSQL all move the version; a cache keyed on it can't miss a change.
/// </summary>
public static class CatalogTriggers
{
    /// <summary>Tables whose rows carry a ShopId and feed the cached catalog.</summary>
    public static readonly string[] Tables =
        ["OpeningRange", "TaxRate", "Tables", "Categories", "Items", "OptionGroups", "Options", "MenuTranslations"];

    private static readonly (string Event, string Row)[] SqliteEvents = [("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")];

    public static string CreateSqlite() => string.Join('\n', Tables.SelectMany(table => SqliteEvents.Select(e => $"""
        CREATE TRIGGER "catalog_{table}_{e.Event}" AFTER {e.Event.ToUpperInvariant()} ON "{table}"
        BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = {e.Row}."ShopId"; END;
        """))) + """

        -- The shop row itself: a change that did not move the version moves it (and so stops there).
        CREATE TRIGGER "catalog_Shops_update" AFTER UPDATE ON "Shops" WHEN NEW."CatalogVersion" = OLD."CatalogVersion"
        BEGIN UPDATE "Shops" SET "CatalogVersion" = OLD."CatalogVersion" + 1 WHERE "Id" = NEW."Id"; END;
        """;

    public static string DropSqlite() => string.Join('\n',
        Tables.SelectMany(table => SqliteEvents.Select(e => $"""DROP TRIGGER IF EXISTS "catalog_{table}_{e.Event}";""")))
        + "\nDROP TRIGGER IF EXISTS \"catalog_Shops_update\";";

    public static string CreatePostgres() => """
        CREATE FUNCTION plaza_bump_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1
          WHERE "Id" = (CASE WHEN TG_OP = 'DELETE' THEN OLD."ShopId" ELSE NEW."ShopId" END);
          RETURN NULL;
        END $$;
        CREATE FUNCTION plaza_bump_own_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW."CatalogVersion" = OLD."CatalogVersion" THEN NEW."CatalogVersion" := OLD."CatalogVersion" + 1; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER catalog_shops BEFORE UPDATE ON "Shops" FOR EACH ROW EXECUTE FUNCTION plaza_bump_own_catalog();

        """ + string.Join('\n', Tables.Select(table =>
        $"""CREATE TRIGGER "catalog_{table}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION plaza_bump_catalog();"""));

    public static string DropPostgres() => string.Join('\n',
        Tables.Select(table => $"""DROP TRIGGER IF EXISTS "catalog_{table}" ON "{table}";"""))
        + """

        DROP TRIGGER IF EXISTS catalog_shops ON "Shops";
        DROP FUNCTION IF EXISTS plaza_bump_catalog();
        DROP FUNCTION IF EXISTS plaza_bump_own_catalog();
        """;
}
