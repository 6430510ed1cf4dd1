using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropAccountLockout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Accounts are no longer locked: SignInThrottle slows failures per e-mail and client address, in memory.
            migrationBuilder.DropColumn(
                name: "FailedSignIns",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "LockedUntil",
                table: "Accounts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FailedSignIns",
                table: "Accounts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LockedUntil",
                table: "Accounts",
                type: "timestamp with time zone",
                nullable: true);
        }
    }
}
