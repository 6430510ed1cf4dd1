using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CatalogVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CatalogVersion",
                table: "Shops",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.Sql(Plaza.Features.Catalog.CatalogTriggers.CreateSqlite());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Plaza.Features.Catalog.CatalogTriggers.DropSqlite());

            migrationBuilder.DropColumn(
                name: "CatalogVersion",
                table: "Shops");
        }
    }
}
