using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PromotionEditsImagesAnnouncements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImageAlt",
                table: "Promotions",
                type: "character varying(1500)",
                maxLength: 1500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImageHeight",
                table: "Promotions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImageUrl",
                table: "Promotions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImageWidth",
                table: "Promotions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ItemId",
                table: "Promotions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpdateActivityId",
                table: "Promotions",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "Promotions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AnnouncementPolicies",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    NewItems = table.Column<bool>(type: "boolean", nullable: false),
                    PriceChanges = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnnouncementPolicies", x => x.ShopId);
                    table.ForeignKey(
                        name: "FK_AnnouncementPolicies_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Promotions_ItemId",
                table: "Promotions",
                column: "ItemId");

            migrationBuilder.AddForeignKey(
                name: "FK_Promotions_Items_ItemId",
                table: "Promotions",
                column: "ItemId",
                principalTable: "Items",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Promotions_Items_ItemId",
                table: "Promotions");

            migrationBuilder.DropTable(
                name: "AnnouncementPolicies");

            migrationBuilder.DropIndex(
                name: "IX_Promotions_ItemId",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "ImageAlt",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "ImageHeight",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "ImageUrl",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "ImageWidth",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "ItemId",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "UpdateActivityId",
                table: "Promotions");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "Promotions");
        }
    }
}
