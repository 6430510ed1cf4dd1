using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboxBounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorHost",
                table: "InboxActivities",
                type: "character varying(255)",
                maxLength: 255,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_InboxActivities_ActorHost_ReceivedAt",
                table: "InboxActivities",
                columns: new[] { "ActorHost", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxActivities_ActorId_ReceivedAt",
                table: "InboxActivities",
                columns: new[] { "ActorId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboxActivities_ActorHost_ReceivedAt",
                table: "InboxActivities");

            migrationBuilder.DropIndex(
                name: "IX_InboxActivities_ActorId_ReceivedAt",
                table: "InboxActivities");

            migrationBuilder.DropColumn(
                name: "ActorHost",
                table: "InboxActivities");
        }
    }
}
