using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Plaza.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ShopLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HubId",
                table: "Deliveries",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Boosts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    ObjectId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    AuthorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    AnnounceId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    BoostedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UndoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Boosts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Boosts_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Hubs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShopId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "text", nullable: false),
                    PrivateKeyPem = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Hubs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Hubs_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HubMembers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HubId = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Inbox = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    SharedInbox = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    FollowActivityId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    FollowBackId = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    FollowBackAccepted = table.Column<bool>(type: "boolean", nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HubMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HubMembers_Hubs_HubId",
                        column: x => x.HubId,
                        principalTable: "Hubs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Boosts_AnnounceId",
                table: "Boosts",
                column: "AnnounceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Boosts_ShopId_ObjectId",
                table: "Boosts",
                columns: new[] { "ShopId", "ObjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HubMembers_ActorId",
                table: "HubMembers",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_HubMembers_FollowBackId",
                table: "HubMembers",
                column: "FollowBackId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HubMembers_HubId_ActorId",
                table: "HubMembers",
                columns: new[] { "HubId", "ActorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hubs_Name",
                table: "Hubs",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hubs_ShopId",
                table: "Hubs",
                column: "ShopId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Boosts");

            migrationBuilder.DropTable(
                name: "HubMembers");

            migrationBuilder.DropTable(
                name: "Hubs");

            migrationBuilder.DropColumn(
                name: "HubId",
                table: "Deliveries");
        }
    }
}
