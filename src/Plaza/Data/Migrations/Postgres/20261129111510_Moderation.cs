using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Moderation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Deliveries_Shops_ShopId",
                table: "Deliveries");

            migrationBuilder.AlterColumn<int>(
                name: "ShopId",
                table: "Deliveries",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.CreateTable(
                name: "BlockedActors",
                columns: table => new
                {
                    ActorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    BlockedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlockedActors", x => x.ActorId);
                });

            migrationBuilder.CreateTable(
                name: "FollowerPolicies",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    ManuallyApprovesFollowers = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowerPolicies", x => x.ShopId);
                    table.ForeignKey(
                        name: "FK_FollowerPolicies_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PendingFollowers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Inbox = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    SharedInbox = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    FollowActivityId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    FollowPayload = table.Column<string>(type: "text", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingFollowers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PendingFollowers_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ShopSlug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ActorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    ReporterActorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ForwardedActivityId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ShopBlocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    BlockedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShopBlocks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ShopBlocks_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingFollowers_ShopId_ActorId",
                table: "PendingFollowers",
                columns: new[] { "ShopId", "ActorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reports_CreatedAt",
                table: "Reports",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ShopBlocks_ShopId_ActorId",
                table: "ShopBlocks",
                columns: new[] { "ShopId", "ActorId" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Deliveries_Shops_ShopId",
                table: "Deliveries",
                column: "ShopId",
                principalTable: "Shops",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Deliveries_Shops_ShopId",
                table: "Deliveries");

            migrationBuilder.DropTable(
                name: "BlockedActors");

            migrationBuilder.DropTable(
                name: "FollowerPolicies");

            migrationBuilder.DropTable(
                name: "PendingFollowers");

            migrationBuilder.DropTable(
                name: "Reports");

            migrationBuilder.DropTable(
                name: "ShopBlocks");

            migrationBuilder.AlterColumn<int>(
                name: "ShopId",
                table: "Deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Deliveries_Shops_ShopId",
                table: "Deliveries",
                column: "ShopId",
                principalTable: "Shops",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
