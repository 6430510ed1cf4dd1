using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SalesDiscount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_Sales",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Sales",
                table: "Orders",
                columns: new[] { "ShopId", "BusinessDay", "Status", "Type", "Total", "ItemsTotal", "Tax", "Tip", "DeliveryFee", "Discount", "CustomerId", "RefundedTotal", "FirstChannelId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_Sales",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Sales",
                table: "Orders",
                columns: new[] { "ShopId", "BusinessDay", "Status", "Type", "Total", "ItemsTotal", "Tax", "Tip", "DeliveryFee", "CustomerId", "RefundedTotal", "FirstChannelId", "Id" });
        }
    }
}
