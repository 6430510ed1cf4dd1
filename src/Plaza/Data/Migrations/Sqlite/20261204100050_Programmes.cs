using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Programmes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ProgrammeShopId",
                table: "Shops",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BonusItems",
                table: "LoyaltyRules",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "PlaceShopId",
                table: "Ledger",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PointsCost",
                table: "Coupons",
                type: "INTEGER",
                nullable: true);

            // Every entry so far was made in the shop whose programme it is: no shop was linked before this.
            migrationBuilder.Sql("UPDATE \"Ledger\" SET \"PlaceShopId\" = \"ShopId\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProgrammeShopId",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "BonusItems",
                table: "LoyaltyRules");

            migrationBuilder.DropColumn(
                name: "PlaceShopId",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "PointsCost",
                table: "Coupons");
        }
    }
}
