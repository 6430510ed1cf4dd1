using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContactAsks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Shops that existed go on asking pickup and delivery customers for a name and a phone (2); at a
            // table they now ask nothing (0), the new default.
            migrationBuilder.AddColumn<int>(
                name: "ContactAtTable",
                table: "Shops",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ContactAway",
                table: "Shops",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContactAtTable",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ContactAway",
                table: "Shops");
        }
    }
}
