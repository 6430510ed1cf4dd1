using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Federation;
using Plaza.Features.Ordering;

namespace Plaza.Data;

/// <summary>
/// The node's one DbContext. Every shop-owned entity carries the named query filter
/// <see cref="ShopFilter"/>, so a query sees only the scoped shop's rows unless it lifts the
/// filter by name (<c>IgnoreQueryFilters([PlazaDb.ShopFilter])</c>) for a view across shops.
/// Provider-specific subclasses exist only so each store has its own migrations.
/// </summary>
public abstract class PlazaDb(DbContextOptions options, ShopScope scope) : DbContext(options)
{
    public const string ShopFilter = "Shop";

    /// <summary>The shop in scope; 0 (no shop) when none is, so unscoped queries see no shop rows.</summary>
    public int ScopedShopId => scope.ShopId;

    public DbSet<Shop> Shops => Set<Shop>();
    public DbSet<ShopTable> Tables => Set<ShopTable>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<OptionGroup> OptionGroups => Set<OptionGroup>();
    public DbSet<Option> Options => Set<Option>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<OrderTransition> OrderTransitions => Set<OrderTransition>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<OrderCounter> OrderCounters => Set<OrderCounter>();
    public DbSet<SlotBooking> SlotBookings => Set<SlotBooking>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<MenuTranslation> MenuTranslations => Set<MenuTranslation>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Plaza.Features.Nearby.KnownShop> KnownShops => Set<Plaza.Features.Nearby.KnownShop>();
    public DbSet<ShopKey> ShopKeys => Set<ShopKey>();
    public DbSet<NodeKey> NodeKeys => Set<NodeKey>();
    public DbSet<Follower> Followers => Set<Follower>();
    public DbSet<Following> Followings => Set<Following>();
    public DbSet<Promotion> Promotions => Set<Promotion>();
    public DbSet<InboxActivity> InboxActivities => Set<InboxActivity>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<RemoteActor> RemoteActors => Set<RemoteActor>();
    public DbSet<BlockedDomain> BlockedDomains => Set<BlockedDomain>();
    public DbSet<Boost> Boosts => Set<Boost>();
    public DbSet<Plaza.Features.Hubs.Hub> Hubs => Set<Plaza.Features.Hubs.Hub>();
    public DbSet<Plaza.Features.Hubs.HubMember> HubMembers => Set<Plaza.Features.Hubs.HubMember>();
    public DbSet<PendingFollower> PendingFollowers => Set<PendingFollower>();
    public DbSet<FollowerPolicy> FollowerPolicies => Set<FollowerPolicy>();
    public DbSet<AnnouncementPolicy> AnnouncementPolicies => Set<AnnouncementPolicy>();
    public DbSet<ShopBlock> ShopBlocks => Set<ShopBlock>();
    public DbSet<Plaza.Features.Moderation.BlockedActor> BlockedActors => Set<Plaza.Features.Moderation.BlockedActor>();
    public DbSet<Plaza.Features.Moderation.Report> Reports => Set<Plaza.Features.Moderation.Report>();
    public DbSet<Plaza.Features.Moderation.ReportAttempt> ReportAttempts => Set<Plaza.Features.Moderation.ReportAttempt>();
    public DbSet<Plaza.Features.Nearby.DirectorySubscription> DirectorySubscriptions => Set<Plaza.Features.Nearby.DirectorySubscription>();
    public DbSet<FailingHost> FailingHosts => Set<FailingHost>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlazaDb).Assembly, t => t.Namespace?.StartsWith("Plaza.Features", StringComparison.Ordinal) == true);

        ScopeToShop(modelBuilder.Entity<ShopTable>());
        ScopeToShop(modelBuilder.Entity<Category>());
        ScopeToShop(modelBuilder.Entity<Item>());
        ScopeToShop(modelBuilder.Entity<OptionGroup>());
        ScopeToShop(modelBuilder.Entity<Option>());
        ScopeToShop(modelBuilder.Entity<Order>());
        ScopeToShop(modelBuilder.Entity<OrderLine>());
        ScopeToShop(modelBuilder.Entity<OrderTransition>());
        ScopeToShop(modelBuilder.Entity<IdempotencyKey>());
        ScopeToShop(modelBuilder.Entity<SlotBooking>());
        ScopeToShop(modelBuilder.Entity<ApiToken>());
        ScopeToShop(modelBuilder.Entity<MenuTranslation>());
        ScopeToShop(modelBuilder.Entity<Membership>());
        ScopeToShop(modelBuilder.Entity<Invitation>());
        ScopeToShop(modelBuilder.Entity<ShopKey>());
        ScopeToShop(modelBuilder.Entity<Follower>());
        ScopeToShop(modelBuilder.Entity<Following>());
        ScopeToShop(modelBuilder.Entity<Promotion>());
        // The instance actor's deliveries belong to no shop, so they are seen only with the filter lifted.
        modelBuilder.Entity<Delivery>().HasQueryFilter(ShopFilter, row => row.ShopId == ScopedShopId);
        ScopeToShop(modelBuilder.Entity<Boost>());
        ScopeToShop(modelBuilder.Entity<PendingFollower>());
        ScopeToShop(modelBuilder.Entity<FollowerPolicy>());
        ScopeToShop(modelBuilder.Entity<AnnouncementPolicy>());
        ScopeToShop(modelBuilder.Entity<ShopBlock>());
    }

    private void ScopeToShop<T>(EntityTypeBuilder<T> entity) where T : class, IShopOwned =>
        entity.HasQueryFilter(ShopFilter, row => row.ShopId == ScopedShopId);
}
