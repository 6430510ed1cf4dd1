using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Plaza.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Accounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SecurityStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IsOperator = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ApiTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Scope = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiTokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BlockedActors",
                columns: table => new
                {
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    BlockedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlockedActors", x => x.ActorId);
                });

            migrationBuilder.CreateTable(
                name: "BlockedDomains",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    BlockedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlockedDomains", x => x.Domain);
                });

            migrationBuilder.CreateTable(
                name: "DirectorySubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    CollectionUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Configured = table.Column<bool>(type: "INTEGER", nullable: false),
                    SubscribedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastPulledAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastCompleteAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Listed = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectorySubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FailingHosts",
                columns: table => new
                {
                    Host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    FailingSince = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastFailureAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ProbeUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    UnavailableSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastProbeAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FailingHosts", x => x.Host);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyKeys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InboxActivities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    ActorHost = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ProcessedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<Guid>(type: "TEXT", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxActivities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KnownShops",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    StorefrontUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Latitude = table.Column<double>(type: "REAL", nullable: false),
                    Longitude = table.Column<double>(type: "REAL", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OpeningHours = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    SubscriptionId = table.Column<int>(type: "INTEGER", nullable: true),
                    LastSeenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnownShops", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NodeKeys",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    PrivateKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NodeKeys", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "OrderCounters",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    Last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderCounters", x => new { x.ShopId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "RemoteActors",
                columns: table => new
                {
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    Inbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    SharedInbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    PreferredUsername = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    FetchedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RemoteActors", x => x.ActorId);
                });

            migrationBuilder.CreateTable(
                name: "ReportAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportAttempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ShopSlug = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ReporterActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ForwardedActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    ForwardRetryAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ForwardAttempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Shops",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Latitude = table.Column<double>(type: "REAL", nullable: false),
                    Longitude = table.Column<double>(type: "REAL", nullable: false),
                    DefaultLanguage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CatalogVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    PausedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcceptsDineIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    AcceptsPickup = table.Column<bool>(type: "INTEGER", nullable: false),
                    AcceptsDelivery = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeliveryRadiusMeters = table.Column<int>(type: "INTEGER", nullable: false),
                    DeliveryFee = table.Column<long>(type: "INTEGER", nullable: false),
                    DeliveryMinimum = table.Column<long>(type: "INTEGER", nullable: false),
                    DeliveryTaxCategory = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    PricesIncludeTax = table.Column<bool>(type: "INTEGER", nullable: false),
                    TipsEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    TipPresets = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LeadTimeMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    SlotMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    SlotCapacity = table.Column<int>(type: "INTEGER", nullable: false),
                    OrderAheadDays = table.Column<int>(type: "INTEGER", nullable: false),
                    AcceptWithinMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    AutoAccept = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Shops", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SlotBookings",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    SlotStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlotBookings", x => new { x.ShopId, x.SlotStart });
                });

            migrationBuilder.CreateTable(
                name: "AnnouncementPolicies",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    NewItems = table.Column<bool>(type: "INTEGER", nullable: false),
                    PriceChanges = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnnouncementPolicies", x => x.ShopId);
                    table.ForeignKey(
                        name: "FK_AnnouncementPolicies_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Boosts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    AnnounceId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    BoostedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UndoneAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                name: "Categories",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Categories", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Categories_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: true),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Inbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FailedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LeaseOwner = table.Column<Guid>(type: "TEXT", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HubId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Deliveries_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "FollowerPolicies",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ManuallyApprovesFollowers = table.Column<bool>(type: "INTEGER", nullable: false)
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
                name: "Followers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Inbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    SharedInbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FollowActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FollowedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Followers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Followers_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Followings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    FollowActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Accepted = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IsHub = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Followings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Followings_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Hubs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    PrivateKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ApprovesMembers = table.Column<bool>(type: "INTEGER", nullable: false)
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
                name: "Invitations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Invitations_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Memberships",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Memberships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Memberships_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Memberships_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MenuTranslations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MenuTranslations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MenuTranslations_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OpeningRange",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    Opens = table.Column<int>(type: "INTEGER", nullable: false),
                    Closes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpeningRange", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpeningRange_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Orders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BusinessDay = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TableCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    PickupAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliveryAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    CustomerPhone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    ItemsTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    DeliveryFee = table.Column<long>(type: "INTEGER", nullable: false),
                    Tip = table.Column<long>(type: "INTEGER", nullable: false),
                    Tax = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: false),
                    PricesIncludeTax = table.Column<bool>(type: "INTEGER", nullable: false),
                    TaxBreakdown = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadyAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Orders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Orders_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "PendingFollowers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Inbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    SharedInbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FollowActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    FollowPayload = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "ShopBlocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    BlockedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "ShopKeys",
                columns: table => new
                {
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    PublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    PrivateKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShopKeys", x => x.ShopId);
                    table.ForeignKey(
                        name: "FK_ShopKeys_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Tables",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tables", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Tables_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TaxRate",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BasisPoints = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxRate", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaxRate_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Items",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    CategoryId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Price = table.Column<long>(type: "INTEGER", nullable: false),
                    ImageUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Allergens = table.Column<int>(type: "INTEGER", nullable: false),
                    SoldOut = table.Column<bool>(type: "INTEGER", nullable: false),
                    Stock = table.Column<int>(type: "INTEGER", nullable: true),
                    TaxCategory = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Items", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Items_Categories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "Categories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Items_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "HubMembers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HubId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Inbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    SharedInbox = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FollowActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FollowBackId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    FollowBackAccepted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Pending = table.Column<bool>(type: "INTEGER", nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "OrderLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Options = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    OptionIds = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    LineTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    TaxBasisPoints = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderLines_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrderTransitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderTransitions_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OptionGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    ItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    MinSelect = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxSelect = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OptionGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OptionGroups_Items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "Items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Promotions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ItemId = table.Column<int>(type: "INTEGER", nullable: true),
                    ImageUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ImageAlt = table.Column<string>(type: "TEXT", maxLength: 1500, nullable: true),
                    ImageWidth = table.Column<int>(type: "INTEGER", nullable: true),
                    ImageHeight = table.Column<int>(type: "INTEGER", nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdateActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Promotions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Promotions_Items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "Items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Promotions_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Options",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShopId = table.Column<int>(type: "INTEGER", nullable: false),
                    OptionGroupId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    PriceDelta = table.Column<long>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Options", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Options_OptionGroups_OptionGroupId",
                        column: x => x.OptionGroupId,
                        principalTable: "OptionGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Email",
                table: "Accounts",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_TokenHash",
                table: "ApiTokens",
                column: "TokenHash",
                unique: true);

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
                name: "IX_Categories_ShopId_Position",
                table: "Categories",
                columns: new[] { "ShopId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_ActivityId_Inbox",
                table: "Deliveries",
                columns: new[] { "ActivityId", "Inbox" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_DeliveredAt_FailedAt_NextAttemptAt",
                table: "Deliveries",
                columns: new[] { "DeliveredAt", "FailedAt", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_ShopId",
                table: "Deliveries",
                column: "ShopId");

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySubscriptions_Url",
                table: "DirectorySubscriptions",
                column: "Url",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Followers_ShopId_ActorId",
                table: "Followers",
                columns: new[] { "ShopId", "ActorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Followings_FollowActivityId",
                table: "Followings",
                column: "FollowActivityId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Followings_ShopId_ActorId",
                table: "Followings",
                columns: new[] { "ShopId", "ActorId" },
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

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyKeys_ShopId_Key",
                table: "IdempotencyKeys",
                columns: new[] { "ShopId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboxActivities_ActivityId",
                table: "InboxActivities",
                column: "ActivityId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboxActivities_ActorHost_ReceivedAt",
                table: "InboxActivities",
                columns: new[] { "ActorHost", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxActivities_ActorId_ReceivedAt",
                table: "InboxActivities",
                columns: new[] { "ActorId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxActivities_ProcessedAt_LeaseUntil",
                table: "InboxActivities",
                columns: new[] { "ProcessedAt", "LeaseUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_ShopId",
                table: "Invitations",
                column: "ShopId");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_TokenHash",
                table: "Invitations",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Items_CategoryId",
                table: "Items",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_Items_ShopId_CategoryId_Position",
                table: "Items",
                columns: new[] { "ShopId", "CategoryId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_KnownShops_ActorId",
                table: "KnownShops",
                column: "ActorId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KnownShops_Domain",
                table: "KnownShops",
                column: "Domain");

            migrationBuilder.CreateIndex(
                name: "IX_KnownShops_Latitude_Longitude",
                table: "KnownShops",
                columns: new[] { "Latitude", "Longitude" });

            migrationBuilder.CreateIndex(
                name: "IX_KnownShops_SubscriptionId",
                table: "KnownShops",
                column: "SubscriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_AccountId_ShopId",
                table: "Memberships",
                columns: new[] { "AccountId", "ShopId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_ShopId",
                table: "Memberships",
                column: "ShopId");

            migrationBuilder.CreateIndex(
                name: "IX_MenuTranslations_ShopId_Language_Kind_TargetId",
                table: "MenuTranslations",
                columns: new[] { "ShopId", "Language", "Kind", "TargetId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpeningRange_ShopId_Day",
                table: "OpeningRange",
                columns: new[] { "ShopId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_OptionGroups_ItemId",
                table: "OptionGroups",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_OptionGroups_ShopId_ItemId",
                table: "OptionGroups",
                columns: new[] { "ShopId", "ItemId" });

            migrationBuilder.CreateIndex(
                name: "IX_Options_OptionGroupId",
                table: "Options",
                column: "OptionGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_Options_ShopId_OptionGroupId",
                table: "Options",
                columns: new[] { "ShopId", "OptionGroupId" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderLines_OrderId",
                table: "OrderLines",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Sales",
                table: "Orders",
                columns: new[] { "ShopId", "BusinessDay", "Status", "Type", "Total", "ItemsTotal", "Tax", "Tip", "DeliveryFee" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_BusinessDay_Number",
                table: "Orders",
                columns: new[] { "ShopId", "BusinessDay", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_PlacedAt",
                table: "Orders",
                columns: new[] { "ShopId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderTransitions_OrderId",
                table: "OrderTransitions",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_PendingFollowers_ShopId_ActorId",
                table: "PendingFollowers",
                columns: new[] { "ShopId", "ActorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Promotions_ItemId",
                table: "Promotions",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_Promotions_ShopId_PublishedAt",
                table: "Promotions",
                columns: new[] { "ShopId", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RemoteActors_KeyId",
                table: "RemoteActors",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_ReportAttempts_At",
                table: "ReportAttempts",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ReportAttempts_ClientKey_At",
                table: "ReportAttempts",
                columns: new[] { "ClientKey", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_CreatedAt",
                table: "Reports",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_ForwardRetryAt",
                table: "Reports",
                column: "ForwardRetryAt");

            migrationBuilder.CreateIndex(
                name: "IX_ShopBlocks_ShopId_ActorId",
                table: "ShopBlocks",
                columns: new[] { "ShopId", "ActorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Shops_Slug",
                table: "Shops",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tables_ShopId_Code",
                table: "Tables",
                columns: new[] { "ShopId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaxRate_ShopId_Code",
                table: "TaxRate",
                columns: new[] { "ShopId", "Code" },
                unique: true);

            // The catalog triggers (docs/decisions/0007-catalog-cache.md), pasted as text: a released
            // migration must never change, so it does not call code that a later commit may edit.
            migrationBuilder.Sql("""
            CREATE TRIGGER "catalog_OpeningRange_insert" AFTER INSERT ON "OpeningRange"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_OpeningRange_update" AFTER UPDATE ON "OpeningRange"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_OpeningRange_delete" AFTER DELETE ON "OpeningRange"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_TaxRate_insert" AFTER INSERT ON "TaxRate"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_TaxRate_update" AFTER UPDATE ON "TaxRate"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_TaxRate_delete" AFTER DELETE ON "TaxRate"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_Tables_insert" AFTER INSERT ON "Tables"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Tables_update" AFTER UPDATE ON "Tables"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Tables_delete" AFTER DELETE ON "Tables"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_Categories_insert" AFTER INSERT ON "Categories"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Categories_update" AFTER UPDATE ON "Categories"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Categories_delete" AFTER DELETE ON "Categories"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_Items_insert" AFTER INSERT ON "Items"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Items_update" AFTER UPDATE ON "Items"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Items_delete" AFTER DELETE ON "Items"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_OptionGroups_insert" AFTER INSERT ON "OptionGroups"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_OptionGroups_update" AFTER UPDATE ON "OptionGroups"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_OptionGroups_delete" AFTER DELETE ON "OptionGroups"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_Options_insert" AFTER INSERT ON "Options"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Options_update" AFTER UPDATE ON "Options"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_Options_delete" AFTER DELETE ON "Options"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            CREATE TRIGGER "catalog_MenuTranslations_insert" AFTER INSERT ON "MenuTranslations"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_MenuTranslations_update" AFTER UPDATE ON "MenuTranslations"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = NEW."ShopId"; END;
            CREATE TRIGGER "catalog_MenuTranslations_delete" AFTER DELETE ON "MenuTranslations"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = "CatalogVersion" + 1 WHERE "Id" = OLD."ShopId"; END;
            -- The shop row itself: a change that did not move the version moves it (and so stops there).
            CREATE TRIGGER "catalog_Shops_update" AFTER UPDATE ON "Shops" WHEN NEW."CatalogVersion" = OLD."CatalogVersion"
            BEGIN UPDATE "Shops" SET "CatalogVersion" = OLD."CatalogVersion" + 1 WHERE "Id" = NEW."Id"; END;
            """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS "catalog_OpeningRange_insert";
            DROP TRIGGER IF EXISTS "catalog_OpeningRange_update";
            DROP TRIGGER IF EXISTS "catalog_OpeningRange_delete";
            DROP TRIGGER IF EXISTS "catalog_TaxRate_insert";
            DROP TRIGGER IF EXISTS "catalog_TaxRate_update";
            DROP TRIGGER IF EXISTS "catalog_TaxRate_delete";
            DROP TRIGGER IF EXISTS "catalog_Tables_insert";
            DROP TRIGGER IF EXISTS "catalog_Tables_update";
            DROP TRIGGER IF EXISTS "catalog_Tables_delete";
            DROP TRIGGER IF EXISTS "catalog_Categories_insert";
            DROP TRIGGER IF EXISTS "catalog_Categories_update";
            DROP TRIGGER IF EXISTS "catalog_Categories_delete";
            DROP TRIGGER IF EXISTS "catalog_Items_insert";
            DROP TRIGGER IF EXISTS "catalog_Items_update";
            DROP TRIGGER IF EXISTS "catalog_Items_delete";
            DROP TRIGGER IF EXISTS "catalog_OptionGroups_insert";
            DROP TRIGGER IF EXISTS "catalog_OptionGroups_update";
            DROP TRIGGER IF EXISTS "catalog_OptionGroups_delete";
            DROP TRIGGER IF EXISTS "catalog_Options_insert";
            DROP TRIGGER IF EXISTS "catalog_Options_update";
            DROP TRIGGER IF EXISTS "catalog_Options_delete";
            DROP TRIGGER IF EXISTS "catalog_MenuTranslations_insert";
            DROP TRIGGER IF EXISTS "catalog_MenuTranslations_update";
            DROP TRIGGER IF EXISTS "catalog_MenuTranslations_delete";
            DROP TRIGGER IF EXISTS "catalog_Shops_update";
            """);

            migrationBuilder.DropTable(
                name: "AnnouncementPolicies");

            migrationBuilder.DropTable(
                name: "ApiTokens");

            migrationBuilder.DropTable(
                name: "BlockedActors");

            migrationBuilder.DropTable(
                name: "BlockedDomains");

            migrationBuilder.DropTable(
                name: "Boosts");

            migrationBuilder.DropTable(
                name: "Deliveries");

            migrationBuilder.DropTable(
                name: "DirectorySubscriptions");

            migrationBuilder.DropTable(
                name: "FailingHosts");

            migrationBuilder.DropTable(
                name: "FollowerPolicies");

            migrationBuilder.DropTable(
                name: "Followers");

            migrationBuilder.DropTable(
                name: "Followings");

            migrationBuilder.DropTable(
                name: "HubMembers");

            migrationBuilder.DropTable(
                name: "IdempotencyKeys");

            migrationBuilder.DropTable(
                name: "InboxActivities");

            migrationBuilder.DropTable(
                name: "Invitations");

            migrationBuilder.DropTable(
                name: "KnownShops");

            migrationBuilder.DropTable(
                name: "Memberships");

            migrationBuilder.DropTable(
                name: "MenuTranslations");

            migrationBuilder.DropTable(
                name: "NodeKeys");

            migrationBuilder.DropTable(
                name: "OpeningRange");

            migrationBuilder.DropTable(
                name: "Options");

            migrationBuilder.DropTable(
                name: "OrderCounters");

            migrationBuilder.DropTable(
                name: "OrderLines");

            migrationBuilder.DropTable(
                name: "OrderTransitions");

            migrationBuilder.DropTable(
                name: "PendingFollowers");

            migrationBuilder.DropTable(
                name: "Promotions");

            migrationBuilder.DropTable(
                name: "RemoteActors");

            migrationBuilder.DropTable(
                name: "ReportAttempts");

            migrationBuilder.DropTable(
                name: "Reports");

            migrationBuilder.DropTable(
                name: "ShopBlocks");

            migrationBuilder.DropTable(
                name: "ShopKeys");

            migrationBuilder.DropTable(
                name: "SlotBookings");

            migrationBuilder.DropTable(
                name: "Tables");

            migrationBuilder.DropTable(
                name: "TaxRate");

            migrationBuilder.DropTable(
                name: "Hubs");

            migrationBuilder.DropTable(
                name: "Accounts");

            migrationBuilder.DropTable(
                name: "OptionGroups");

            migrationBuilder.DropTable(
                name: "Orders");

            migrationBuilder.DropTable(
                name: "Items");

            migrationBuilder.DropTable(
                name: "Categories");

            migrationBuilder.DropTable(
                name: "Shops");
        }
    }
}
