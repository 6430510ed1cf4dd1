using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Programmes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "GiftCouponId",
                table: "Tiers",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ProgrammeShopId",
                table: "Shops",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BonusItems",
                table: "LoyaltyRules",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "PlaceShopId",
                table: "Ledger",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PointsCost",
                table: "Coupons",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TierGifts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    MemberId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    TierId = table.Column<int>(type: "integer", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TierGifts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TierGifts_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TierGifts_ShopId_MemberId_Month",
                table: "TierGifts",
                columns: new[] { "ShopId", "MemberId", "Month" },
                unique: true);

            // Every entry so far was made in the shop whose programme it is: no shop was linked before this.
            migrationBuilder.Sql("UPDATE \"Ledger\" SET \"PlaceShopId\" = \"ShopId\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TierGifts");

            migrationBuilder.DropColumn(
                name: "GiftCouponId",
                table: "Tiers");

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
