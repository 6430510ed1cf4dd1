using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NetworkGaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ForwardAttempts",
                table: "Reports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ForwardRetryAt",
                table: "Reports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SubscriptionId",
                table: "KnownShops",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DirectorySubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    CollectionUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Configured = table.Column<bool>(type: "boolean", nullable: false),
                    SubscribedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastPulledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastCompleteAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ETag = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Listed = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectorySubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FailingHosts",
                columns: table => new
                {
                    Host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    FailingSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastFailureAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Failures = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ProbeUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    UnavailableSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastProbeAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FailingHosts", x => x.Host);
                });

            migrationBuilder.CreateTable(
                name: "ReportAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClientKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportAttempts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_ForwardRetryAt",
                table: "Reports",
                column: "ForwardRetryAt");

            migrationBuilder.CreateIndex(
                name: "IX_KnownShops_SubscriptionId",
                table: "KnownShops",
                column: "SubscriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySubscriptions_Url",
                table: "DirectorySubscriptions",
                column: "Url",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReportAttempts_At",
                table: "ReportAttempts",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ReportAttempts_ClientKey_At",
                table: "ReportAttempts",
                columns: new[] { "ClientKey", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DirectorySubscriptions");

            migrationBuilder.DropTable(
                name: "FailingHosts");

            migrationBuilder.DropTable(
                name: "ReportAttempts");

            migrationBuilder.DropIndex(
                name: "IX_Reports_ForwardRetryAt",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_KnownShops_SubscriptionId",
                table: "KnownShops");

            migrationBuilder.DropColumn(
                name: "ForwardAttempts",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "ForwardRetryAt",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "SubscriptionId",
                table: "KnownShops");
        }
    }
}
