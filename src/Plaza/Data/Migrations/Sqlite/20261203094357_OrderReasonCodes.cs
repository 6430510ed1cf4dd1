using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderReasonCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReasonCode",
                table: "OrderTransitions",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReasonCode",
                table: "Orders",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            // Orders the node rejected before reasons were codes carry its English sentence; they become the code,
            // so the customer's page words them in the customer's language like every later one.
            foreach (var table in new[] { "Orders", "OrderTransitions" })
            {
                migrationBuilder.Sql($"""
                    UPDATE "{table}" SET "ReasonCode" = 'not-confirmed-in-time', "Reason" = NULL
                    WHERE "Reason" = 'The shop did not confirm the order in time. Nothing is charged; please order again or call the shop.'
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReasonCode",
                table: "OrderTransitions");

            migrationBuilder.DropColumn(
                name: "ReasonCode",
                table: "Orders");
        }
    }
}
