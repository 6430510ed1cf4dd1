using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartialPersonIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_CustomerId",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_MemberId",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_CustomerId",
                table: "Orders",
                columns: new[] { "ShopId", "CustomerId" },
                filter: "\"CustomerId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_MemberId",
                table: "Orders",
                columns: new[] { "ShopId", "MemberId" },
                filter: "\"MemberId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_CustomerId",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_MemberId",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_CustomerId",
                table: "Orders",
                columns: new[] { "ShopId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_MemberId",
                table: "Orders",
                columns: new[] { "ShopId", "MemberId" });
        }
    }
}
