using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SalesIndexes : Migration
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
                columns: new[] { "ShopId", "BusinessDay", "Status", "Type", "Total", "ItemsTotal", "Tax", "Tip", "DeliveryFee", "CustomerId", "RefundedTotal", "FirstChannelId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderLines_Sales",
                table: "OrderLines",
                columns: new[] { "ShopId", "OrderId", "ItemId", "Quantity", "LineTotal" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_Sales",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_OrderLines_Sales",
                table: "OrderLines");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Sales",
                table: "Orders",
                columns: new[] { "ShopId", "BusinessDay", "Status", "Type", "Total", "ItemsTotal", "Tax", "Tip", "DeliveryFee" });
        }
    }
}
