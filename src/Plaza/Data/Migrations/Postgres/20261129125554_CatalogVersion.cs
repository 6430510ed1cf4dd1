using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.Sql(Plaza.Features.Catalog.CatalogTriggers.CreatePostgres());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Plaza.Features.Catalog.CatalogTriggers.DropPostgres());

            migrationBuilder.DropColumn(
                name: "CatalogVersion",
                table: "Shops");
        }
    }
}
