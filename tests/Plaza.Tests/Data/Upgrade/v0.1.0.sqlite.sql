-- A Plaza v0.1.0 node's SQLite store (sqlite3 plaza.db .dump): two shops with menus, orders, accounts,
-- tokens, followers, a hub, promotions, reports and the directory. Never edit it: UpgradeTests loads it
-- and migrates it to the current head; see tests/Plaza.Tests/Data/Upgrade/README.md.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY,
    "Timestamp" TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);
INSERT INTO __EFMigrationsHistory VALUES('20261202094435_Initial','10.0.15');
CREATE TABLE IF NOT EXISTS "Accounts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Accounts" PRIMARY KEY AUTOINCREMENT,
    "Email" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "SecurityStamp" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "IsOperator" INTEGER NOT NULL
);
INSERT INTO Accounts VALUES(1,'mei@lantern.example','王美 Mei Wang','AQAAAAIAAYagAAAAEJQTmwlEYYVCyVd4+kkmcSXP2ihW61X0BeFMoywPdznwd2XIzQZeoqmNAJ7tS8QEXQ==','dc5b5021f81ea875f49ec440898ab676','2026-12-02 10:00:00',1);
INSERT INTO Accounts VALUES(2,'jonas@corner.example','Jonas Becker','AQAAAAIAAYagAAAAEHfaCFtEB7nVMySYbleU2LM+Rfeq77Tc++lonGumQq1smbFmJfVtZeMZi08gMQ7WhQ==','269da61e97b5c0809b745eafca20a178','2026-12-02 10:00:00',0);
CREATE TABLE IF NOT EXISTS "ApiTokens" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ApiTokens" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "Scope" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "RevokedAt" TEXT NULL
);
INSERT INTO ApiTokens VALUES(1,1,'厨房 kitchen screen','3c1cd4642efdccdbdc7feb99fc9a72b66876c6060207bf9b750432851cae836c',0,'2026-12-02 10:00:00',NULL);
INSERT INTO ApiTokens VALUES(2,1,'till','b25ec2f1c56a6e449e529d18661c25c7e1ce991b60c3421952846b8c6630388c',1,'2026-12-02 10:00:00',NULL);
INSERT INTO ApiTokens VALUES(3,2,'counter','dcc6abdccee444e2933cf4e18302fc411006b6602fad6a50ba8bf7cf9ab9f555',0,'2026-12-02 10:00:00',NULL);
INSERT INTO ApiTokens VALUES(4,1,'old tablet','2158df61afc7248f1771fc1aaa910a48f156fcb2c0356806369ee3ecf06f7ca4',0,'2026-12-02 10:00:00','2026-12-02 10:01:00');
CREATE TABLE IF NOT EXISTS "BlockedActors" (
    "ActorId" TEXT NOT NULL CONSTRAINT "PK_BlockedActors" PRIMARY KEY,
    "Reason" TEXT NULL,
    "BlockedAt" TEXT NOT NULL
);
INSERT INTO BlockedActors VALUES('https://troll.example/users/troll','harassment','2026-12-02 08:30:00');
CREATE TABLE IF NOT EXISTS "BlockedDomains" (
    "Domain" TEXT NOT NULL CONSTRAINT "PK_BlockedDomains" PRIMARY KEY,
    "Reason" TEXT NULL,
    "BlockedAt" TEXT NOT NULL
);
INSERT INTO BlockedDomains VALUES('spam.example','垃圾信息 spam','2026-12-02 08:20:00');
CREATE TABLE IF NOT EXISTS "DirectorySubscriptions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DirectorySubscriptions" PRIMARY KEY AUTOINCREMENT,
    "Url" TEXT NOT NULL,
    "CollectionUrl" TEXT NULL,
    "Configured" INTEGER NOT NULL,
    "SubscribedAt" TEXT NOT NULL,
    "LastPulledAt" TEXT NULL,
    "LastCompleteAt" TEXT NULL,
    "ETag" TEXT NULL,
    "Listed" INTEGER NOT NULL,
    "LastError" TEXT NULL
);
INSERT INTO DirectorySubscriptions VALUES(1,'https://dir.example','https://dir.example/directory',0,'2026-11-30 10:00:00','2026-12-02 09:50:00','2026-12-02 09:50:00','"d-41"',1,NULL);
CREATE TABLE IF NOT EXISTS "FailingHosts" (
    "Host" TEXT NOT NULL CONSTRAINT "PK_FailingHosts" PRIMARY KEY,
    "FailingSince" TEXT NOT NULL,
    "LastFailureAt" TEXT NOT NULL,
    "Failures" INTEGER NOT NULL,
    "LastError" TEXT NULL,
    "ProbeUrl" TEXT NOT NULL,
    "UnavailableSince" TEXT NULL,
    "LastProbeAt" TEXT NULL
);
INSERT INTO FailingHosts VALUES('flaky.example','2026-12-02 09:00:00','2026-12-02 09:56:00',3,'connection refused','https://flaky.example/.well-known/nodeinfo',NULL,NULL);
CREATE TABLE IF NOT EXISTS "IdempotencyKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_IdempotencyKeys" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "OrderId" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);
INSERT INTO IdempotencyKeys VALUES(1,1,'v010-first-order','bda5401ebd991cbed21c2d25b0bec5c52bf70aaa1977ac0fbdf59e6df90fdd91','01A23632-5D00-758C-A01E-4D0DB70BB813','2026-12-02 10:00:00');
INSERT INTO IdempotencyKeys VALUES(2,1,'v010-second-order','4c3bbe413caf858b2320934f23909de92ceea56231f0a81a8c03d30fbb6dbfb4','01A2363A-9A60-7D93-B180-156CB00AA965','2026-12-02 10:09:00');
INSERT INTO IdempotencyKeys VALUES(3,1,'v010-third-order','441d26c55ba93be4497cd5caf33ddad0fe58871590769df60508c2efc461a8aa','01A2363A-9A60-78BD-AD29-72305FE19589','2026-12-02 10:09:00');
CREATE TABLE IF NOT EXISTS "InboxActivities" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_InboxActivities" PRIMARY KEY AUTOINCREMENT,
    "ActivityId" TEXT NOT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorHost" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "ReceivedAt" TEXT NOT NULL,
    "ProcessedAt" TEXT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseUntil" TEXT NULL,
    "Attempts" INTEGER NOT NULL,
    "Error" TEXT NULL
);
INSERT INTO InboxActivities VALUES(1,'https://social.example/activities/follow-1','https://social.example/users/ling','social.example','Follow','{"id":"https://social.example/activities/follow-1","type":"Follow","actor":"https://social.example/users/ling","object":"http://localhost/actors/lantern-tea"}','2026-12-02 09:30:00','2026-12-02 09:30:00',NULL,NULL,1,NULL);
INSERT INTO InboxActivities VALUES(2,'https://noodles.example/actors/noodle-bar/activities/88','https://noodles.example/actors/noodle-bar','noodles.example','Create','{"id":"https://noodles.example/actors/noodle-bar/activities/88","type":"Create","actor":"https://noodles.example/actors/noodle-bar","object":{"id":"https://noodles.example/actors/noodle-bar/notes/88","type":"Note","content":"<p>新品：担担面 — dan dan noodles from today</p>"}}','2026-12-02 09:40:00','2026-12-02 09:40:00',NULL,NULL,1,NULL);
INSERT INTO InboxActivities VALUES(3,'https://noodles.example/activities/undo-1','https://noodles.example/actors/noodle-bar','noodles.example','Undo','{"id":"https://noodles.example/activities/undo-1","type":"Undo"}','2026-12-02 09:41:00','2026-12-02 09:41:00',NULL,NULL,2,'nothing to undo');
CREATE TABLE IF NOT EXISTS "KnownShops" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_KnownShops" PRIMARY KEY AUTOINCREMENT,
    "ActorId" TEXT NOT NULL,
    "Domain" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "StorefrontUrl" TEXT NOT NULL,
    "Latitude" REAL NOT NULL,
    "Longitude" REAL NOT NULL,
    "TimeZone" TEXT NOT NULL,
    "OpeningHours" TEXT NOT NULL,
    "Source" INTEGER NOT NULL,
    "SubscriptionId" INTEGER NULL,
    "LastSeenAt" TEXT NOT NULL
);
INSERT INTO KnownShops VALUES(1,'https://noodles.example/actors/noodle-bar','noodles.example','面馆 Noodle Bar','Hand-pulled noodles','https://noodles.example/s/noodle-bar',52.49900000000000233,13.426000000000000156,'Europe/Berlin','Mo-Su 11:00-22:00',0,NULL,'2026-12-02 09:40:00');
INSERT INTO KnownShops VALUES(2,'https://dumplings.example/actors/dumpling-house','dumplings.example','饺子馆 Dumpling House','','https://dumplings.example/s/dumpling-house',52.503000000000000111,13.410999999999999587,'','',2,1,'2026-12-02 09:50:00');
CREATE TABLE IF NOT EXISTS "NodeKeys" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_NodeKeys" PRIMARY KEY,
    "PublicKeyPem" TEXT NOT NULL,
    "PrivateKeyPem" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);
INSERT INTO NodeKeys VALUES('instance',replace('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp26GAIuHxYKGXO4rjjQO\nH9NKKd2AEEwwldsks2HtlEAqJrvPP42MiPekIoSi9jOr+8kUYuZ4XX7F9hsJYIZm\nnAGfZIgDVPBE9a05R7nKYnOfDu8dNg3GFJteMxbwcSz5DmYo8WfB0BdpDhUFjqK6\nOZ8E4DJ/iWtT5x6uV837YI8ColeYdGPeJr/RyDg+CUBvFgKp+JFhF69H4kisfs7D\ngPY8sE3CLdwhfvFBX5zPYrwlywpJjXV5Shg8OsYlNDziUUjIyupHbJLkm3YDeAt8\n1/XS4PEhKGY10dx4fcCEEATDzbdb9vNIDuyW2SvfB+VXf5fmMnwTUTLI0ofyuMV2\nSwIDAQAB\n-----END PUBLIC KEY-----','\n',char(10)),replace('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCnboYAi4fFgoZc\n7iuONA4f00op3YAQTDCV2ySzYe2UQComu88/jYyI96QihKL2M6v7yRRi5nhdfsX2\nGwlghmacAZ9kiANU8ET1rTlHucpic58O7x02DcYUm14zFvBxLPkOZijxZ8HQF2kO\nFQWOoro5nwTgMn+Ja1PnHq5XzftgjwKiV5h0Y94mv9HIOD4JQG8WAqn4kWEXr0fi\nSKx+zsOA9jywTcIt3CF+8UFfnM9ivCXLCkmNdXlKGDw6xiU0POJRSMjK6kdskuSb\ndgN4C3zX9dLg8SEoZjXR3Hh9wIQQBMPNt1v280gO7JbZK98H5Vd/l+YyfBNRMsjS\nh/K4xXZLAgMBAAECggEANHedBGS1Gj6pzktQWNKVLoHutqnTrMfDXeJ7YL8qTQ/C\nZbrq2haIWI+J3stDqfVNSqybd9aTF3FXpaSZTqcvVmnnwgAhUyer5HTxAzoEYs+q\no2po8/xi+ygo38erdzvJnCqFYAjMomIDqMcLo8P4qX/cbklE0BJTC5UAu0EwKfSE\n0PPoJO080z2Xe5RO2TmkbMexizEnG7ppfwthk14QFJyc71YxTkmM6s5F/JhC7kOM\npl0hL//xZnGDaJz/yQvXRDnrGGdznTWVwsIKlmmeSbmx4MsTBZ55SEo7J8DrErcv\n1fQx/kOSISzRI0DM66MMX4Y7C+1GN3uwWZOmEA3X2QKBgQDY0VZdc+QIfNIMe1YV\nOqJNWEUM0ugviJ8/B+OcE+GjeVzONWsJfy11A7L4WCqbtOvkuC2xCjLhSm8xi0lj\n0RlqQ/oDnzc1PdPDTNXfg41W70/54uUyOaH6tblPK2npBb67fjrr1HGgWih2lWuq\nb7TPxubbpUB2S2UnlkPTHZ94/wKBgQDFsG+4xDmO7f8jaUgx8AGSaOmst7uwOGW3\n4p+X7mCfgQPnRPvrEtfE8kWq1WHg0/a8VOsJQoOCET/8aUCxTnNnsliWvvICFOdO\nYJ2OSnnTi9TVlVBOzqMjAUSpoJHUmNYGWggGcr0VtAGjb6q2jWUfBKj7RGtENdux\nWYjfxmEWtQKBgQC+PfApz6YmTF+B1DaUKf5/HxR3TBeunZIdHC76o/c4GST1SqnA\ni3a3VaeTgMjiFr1k0rZEwU4jn8wxDKY4jyBdvYeB5hHrBXTpyGFg3W0G+rSR7iRt\nDWSzNwCCFvW3IPNaUEgi5SVOLc2TP0hZI+ri5QNrdnQ5V65KLe8VLsjewQKBgHFJ\nLny/VgymLjNovcqAMyZnoKEtmQzfBMtfvv0dyZkeIdKCIasQXT2raGkBZtmkHhzG\nvPnNd/ctU3GeD0iMIG4oMcQRIDY5LGQp0aAc5btowkqzChZfK/V/YI2kSm1+OAfj\nx/2J+vlY8idqcnWyiWRBE2UKTD4GbyMun9U8pZ6RAoGARnZ2sKrYIXQLgZ6yqmPY\nzHE9ImovhuBGIFe2ME35Yp1bgkdWrXplK4vZFdmqKTxNi1gzIqg6ONjiUk4WyGLk\niX1zhXsDAR3GzlB5e/0Ix9PugMbaXpxwqLGhSknmmcdnTwJTK0XdBd8ZMdZhBwd0\noq3hOb158HIo5SyZelTsBT8=\n-----END PRIVATE KEY-----','\n',char(10)),'2026-12-02 10:09:00');
CREATE TABLE IF NOT EXISTS "OrderCounters" (
    "ShopId" INTEGER NOT NULL,
    "Day" INTEGER NOT NULL,
    "Last" INTEGER NOT NULL,
    CONSTRAINT "PK_OrderCounters" PRIMARY KEY ("ShopId", "Day")
);
INSERT INTO OrderCounters VALUES(1,20261202,3);
CREATE TABLE IF NOT EXISTS "RemoteActors" (
    "ActorId" TEXT NOT NULL CONSTRAINT "PK_RemoteActors" PRIMARY KEY,
    "KeyId" TEXT NOT NULL,
    "PublicKeyPem" TEXT NOT NULL,
    "Inbox" TEXT NOT NULL,
    "SharedInbox" TEXT NULL,
    "PreferredUsername" TEXT NULL,
    "FetchedAt" TEXT NOT NULL
);
INSERT INTO RemoteActors VALUES('https://noodles.example/actors/noodle-bar','https://noodles.example/actors/noodle-bar#main-key',replace('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0R2jVfVoZ2oWszxtda/I\nqkRX4DB7cCiZiI9jHct6vJUQrt9Wwh7hhBzOTn3i69HYczdB4mijP4z93TPwZ3ID\no1yQ0Zh2juFOIB57RU1+llJ2XunyyLzEHBMoOnFKOM5ar44tbmRTKE7/5FAHIyEM\nsoWZO5u8JMkO7OqBAYVsAlaciNprQP86aG+Cgctq3fjWnB2bnPWGh86iEZ6O241F\nPNbqjvVWdEecQR/b0J1Ik9TCcrnuqXZbteuhcqi5fMqy3RMHrUP9qO4PVppR5hYX\nKtjzPM4jAEqBAxGFG18Esxs4BbRFBkyLQLBNGEjRCZTwe7NaMs5lUOw7EmLR93zh\ngwIDAQAB\n-----END PUBLIC KEY-----','\n',char(10)),'https://noodles.example/actors/noodle-bar/inbox','https://noodles.example/inbox','noodle-bar','2026-12-02 09:40:00');
INSERT INTO RemoteActors VALUES('https://social.example/users/ling','https://social.example/users/ling#main-key',replace('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0R2jVfVoZ2oWszxtda/I\nqkRX4DB7cCiZiI9jHct6vJUQrt9Wwh7hhBzOTn3i69HYczdB4mijP4z93TPwZ3ID\no1yQ0Zh2juFOIB57RU1+llJ2XunyyLzEHBMoOnFKOM5ar44tbmRTKE7/5FAHIyEM\nsoWZO5u8JMkO7OqBAYVsAlaciNprQP86aG+Cgctq3fjWnB2bnPWGh86iEZ6O241F\nPNbqjvVWdEecQR/b0J1Ik9TCcrnuqXZbteuhcqi5fMqy3RMHrUP9qO4PVppR5hYX\nKtjzPM4jAEqBAxGFG18Esxs4BbRFBkyLQLBNGEjRCZTwe7NaMs5lUOw7EmLR93zh\ngwIDAQAB\n-----END PUBLIC KEY-----','\n',char(10)),'https://social.example/users/ling/inbox','https://social.example/inbox','ling','2026-12-02 09:30:00');
CREATE TABLE IF NOT EXISTS "ReportAttempts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ReportAttempts" PRIMARY KEY AUTOINCREMENT,
    "ClientKey" TEXT NOT NULL,
    "At" TEXT NOT NULL
);
INSERT INTO ReportAttempts VALUES(1,'d861b7e91033ebc1c1e8e7af3929010158b3241b54ca87ef73e79c32f26400ec','2026-12-02 09:53:00');
CREATE TABLE IF NOT EXISTS "Reports" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Reports" PRIMARY KEY AUTOINCREMENT,
    "Source" TEXT NOT NULL,
    "ShopSlug" TEXT NULL,
    "ActorId" TEXT NULL,
    "ReporterActorId" TEXT NULL,
    "Comment" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ForwardedActivityId" TEXT NULL,
    "Resolution" TEXT NULL,
    "ResolvedAt" TEXT NULL,
    "ResolvedBy" TEXT NULL,
    "ForwardRetryAt" TEXT NULL,
    "ForwardAttempts" INTEGER NOT NULL
);
INSERT INTO Reports VALUES(1,'Storefront','corner-bakery',NULL,NULL,'价格和菜单不符 — prices differ from the menu','2026-12-02 09:53:00',NULL,NULL,NULL,NULL,NULL,0);
INSERT INTO Reports VALUES(2,'Flag',NULL,'http://localhost/actors/lantern-tea','https://social.example/actor','spam?','2026-12-02 09:54:00',NULL,'Dismissed','2026-12-02 09:58:00','mei@lantern.example',NULL,0);
INSERT INTO Reports VALUES(3,'Nearby',NULL,'https://dumplings.example/actors/dumpling-house',NULL,'Closed for months','2026-12-02 09:51:00','http://localhost/actor/activities/flag/51c7e0d2b4a64f1c8e9d0a3b5c7e9f10',NULL,NULL,NULL,NULL,1);
CREATE TABLE IF NOT EXISTS "Shops" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Shops" PRIMARY KEY AUTOINCREMENT,
    "Slug" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "TimeZone" TEXT NOT NULL,
    "Address" TEXT NOT NULL,
    "Latitude" REAL NOT NULL,
    "Longitude" REAL NOT NULL,
    "DefaultLanguage" TEXT NOT NULL,
    "CatalogVersion" INTEGER NOT NULL,
    "PausedUntil" TEXT NULL,
    "AcceptsDineIn" INTEGER NOT NULL,
    "AcceptsPickup" INTEGER NOT NULL,
    "AcceptsDelivery" INTEGER NOT NULL,
    "DeliveryRadiusMeters" INTEGER NOT NULL,
    "DeliveryFee" INTEGER NOT NULL,
    "DeliveryMinimum" INTEGER NOT NULL,
    "DeliveryTaxCategory" TEXT NULL,
    "PricesIncludeTax" INTEGER NOT NULL,
    "TipsEnabled" INTEGER NOT NULL,
    "TipPresets" TEXT NOT NULL,
    "LeadTimeMinutes" INTEGER NOT NULL,
    "SlotMinutes" INTEGER NOT NULL,
    "SlotCapacity" INTEGER NOT NULL,
    "OrderAheadDays" INTEGER NOT NULL,
    "AcceptWithinMinutes" INTEGER NOT NULL,
    "AutoAccept" INTEGER NOT NULL
);
INSERT INTO Shops VALUES(1,'lantern-tea','灯笼茶馆 Lantern Tea House','手工茶点与咖啡 — tea, coffee and small bakes in Kreuzberg.','EUR','Europe/Berlin','Wiener Straße 12, 10999 Berlin',52.500999999999997669,13.419000000000000482,'en',36,NULL,1,1,1,3000,250,1000,'food',1,1,'5,10,15',15,15,6,3,5,0);
INSERT INTO Shops VALUES(2,'corner-bakery','Corner Bakery','Coffee, breakfast and bakes around the clock — a demo of a Plaza storefront.','EUR','Europe/Berlin','Oranienstraße 25, 10999 Berlin',52.500999999999997669,13.419000000000000482,'en',13,NULL,1,1,1,3000,250,1000,'food',1,1,'5,10,15',15,15,6,3,10,1);
CREATE TABLE IF NOT EXISTS "SlotBookings" (
    "ShopId" INTEGER NOT NULL,
    "SlotStart" INTEGER NOT NULL,
    "Count" INTEGER NOT NULL,
    CONSTRAINT "PK_SlotBookings" PRIMARY KEY ("ShopId", "SlotStart")
);
INSERT INTO SlotBookings VALUES(1,1796209200,1);
CREATE TABLE IF NOT EXISTS "AnnouncementPolicies" (
    "ShopId" INTEGER NOT NULL CONSTRAINT "PK_AnnouncementPolicies" PRIMARY KEY,
    "NewItems" INTEGER NOT NULL,
    "PriceChanges" INTEGER NOT NULL,
    CONSTRAINT "FK_AnnouncementPolicies_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO AnnouncementPolicies VALUES(1,1,0);
CREATE TABLE IF NOT EXISTS "Boosts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Boosts" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "ObjectId" TEXT NOT NULL,
    "AuthorId" TEXT NOT NULL,
    "AnnounceId" TEXT NOT NULL,
    "BoostedAt" TEXT NOT NULL,
    "UndoneAt" TEXT NULL,
    CONSTRAINT "FK_Boosts_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Boosts VALUES(1,1,'https://noodles.example/actors/noodle-bar/notes/88','https://noodles.example/actors/noodle-bar','http://localhost/actors/lantern-tea/activities/announce/6f3d2b1a0c9e4d8f7a6b5c4d3e2f1a0b','2026-12-02 09:42:00',NULL);
CREATE TABLE IF NOT EXISTS "Categories" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Categories" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Position" INTEGER NOT NULL,
    CONSTRAINT "FK_Categories_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Categories VALUES(1,1,'All',0);
INSERT INTO Categories VALUES(2,1,'茶 Tea',1);
INSERT INTO Categories VALUES(3,2,'Bread',0);
CREATE TABLE IF NOT EXISTS "Deliveries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Deliveries" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NULL,
    "ActivityId" TEXT NOT NULL,
    "Inbox" TEXT NOT NULL,
    "Host" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "DeliveredAt" TEXT NULL,
    "FailedAt" TEXT NULL,
    "LastStatus" INTEGER NULL,
    "LastError" TEXT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseUntil" TEXT NULL,
    "HubId" INTEGER NULL,
    CONSTRAINT "FK_Deliveries_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id")
);
INSERT INTO Deliveries VALUES(1,1,'http://localhost/actors/lantern-tea/notes/1/activity','https://social.example/inbox','social.example','{"@context":"https://www.w3.org/ns/activitystreams","id":"http://localhost/actors/lantern-tea/notes/1/activity","type":"Create","actor":"http://localhost/actors/lantern-tea","object":{"id":"http://localhost/actors/lantern-tea/notes/1","type":"Note","content":"<p>桂花乌龙回来了！</p>"}}','2026-12-02 09:45:00','2026-12-02 09:45:00',1,'2026-12-02 09:45:00',NULL,202,NULL,NULL,NULL,NULL);
INSERT INTO Deliveries VALUES(2,1,'http://localhost/actors/lantern-tea/notes/1/activity','https://mastodon.example/users/ana/inbox','mastodon.example','{"@context":"https://www.w3.org/ns/activitystreams","id":"http://localhost/actors/lantern-tea/notes/1/activity","type":"Create","actor":"http://localhost/actors/lantern-tea","object":{"id":"http://localhost/actors/lantern-tea/notes/1","type":"Note","content":"<p>桂花乌龙回来了！</p>"}}','2026-12-02 09:45:00','2026-12-02 09:59:00',12,NULL,'2026-12-02 09:59:00',500,'500 Internal Server Error',NULL,NULL,NULL);
INSERT INTO Deliveries VALUES(3,NULL,'http://localhost/hubs/kreuzberg-eats/announces/0a1b2c3d4e5f60718293a4b5c6d7e8f9','https://noodles.example/inbox','noodles.example','{"type":"Announce"}','2026-12-02 09:46:00','2026-12-02 09:46:00',1,'2026-12-02 09:46:00',NULL,202,NULL,NULL,NULL,1);
INSERT INTO Deliveries VALUES(4,NULL,'http://localhost/actor/activities/flag/51c7e0d2b4a64f1c8e9d0a3b5c7e9f10','https://noodles.example/inbox','noodles.example','{"type":"Flag"}','2026-12-02 09:51:00','2026-12-02 09:51:00',1,'2026-12-02 09:51:00',NULL,202,NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "FollowerPolicies" (
    "ShopId" INTEGER NOT NULL CONSTRAINT "PK_FollowerPolicies" PRIMARY KEY,
    "ManuallyApprovesFollowers" INTEGER NOT NULL,
    CONSTRAINT "FK_FollowerPolicies_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO FollowerPolicies VALUES(1,1);
CREATE TABLE IF NOT EXISTS "Followers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Followers" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "Inbox" TEXT NOT NULL,
    "SharedInbox" TEXT NULL,
    "FollowActivityId" TEXT NULL,
    "FollowedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Followers_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Followers VALUES(1,1,'https://social.example/users/ling','https://social.example/users/ling/inbox','https://social.example/inbox','https://social.example/activities/follow-1','2026-12-02 09:30:00');
INSERT INTO Followers VALUES(2,1,'https://mastodon.example/users/ana','https://mastodon.example/users/ana/inbox',NULL,NULL,'2026-12-02 09:35:00');
INSERT INTO Followers VALUES(3,2,'https://social.example/users/ling','https://social.example/users/ling/inbox','https://social.example/inbox','https://social.example/activities/follow-2','2026-12-02 09:36:00');
CREATE TABLE IF NOT EXISTS "Followings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Followings" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "FollowActivityId" TEXT NOT NULL,
    "Accepted" INTEGER NOT NULL,
    "RequestedAt" TEXT NOT NULL,
    "AcceptedAt" TEXT NULL,
    "IsHub" INTEGER NOT NULL,
    CONSTRAINT "FK_Followings_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Followings VALUES(1,1,'https://noodles.example/actors/noodle-bar','http://localhost/actors/lantern-tea/activities/follow/1f0c2a5e9b3d4c7a8e6f0b1d2c3a4e5f',1,'2026-12-02 09:10:00','2026-12-02 09:11:00',0);
INSERT INTO Followings VALUES(2,1,'https://hub.example/hubs/neukoelln','http://localhost/actors/lantern-tea/activities/follow/7d21e9c4a6b84f0e9d3c2b1a0f9e8d7c',0,'2026-12-02 09:50:00',NULL,1);
CREATE TABLE IF NOT EXISTS "Hubs" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Hubs" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "PublicKeyPem" TEXT NOT NULL,
    "PrivateKeyPem" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ApprovesMembers" INTEGER NOT NULL,
    CONSTRAINT "FK_Hubs_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Hubs VALUES(1,1,'kreuzberg-eats','克罗伊茨贝格美食 Kreuzberg Eats','Independent food places around Görlitzer Park.',replace('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0eL2I9LlzXID8Y7l89wN\n+umHKOQ5r/etv6RE2Tf4Pwek3rl8YhWZFLopG1CV+gbdMtf9T7yAIujoWcfivK00\nUSzWYuO5OMPK16VFW3QoYV7IxuF+veX2GIx0vieGttYWFiBJFGAFCmEPgOtuya7y\nUqAwBCjmBak8OC2AdZlxixk3DaDWln3e+UsnefJ8wz3eqMigp9OMVEpcCQGbjCmq\ny1wMa5CmVLyqryGbY8Uw8la3x2AhF1UhddemABX1mViKSmyzccxu89y0InPOpfBE\nD/Rsl3t0AhsIB1XrLNAQwCPSALiNwdIpyHU8MkbgUGGIiPPi1wDD0o7zq1Xd09XA\newIDAQAB\n-----END PUBLIC KEY-----','\n',char(10)),replace('-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDR4vYj0uXNcgPx\njuXz3A366Yco5Dmv962/pETZN/g/B6TeuXxiFZkUuikbUJX6Bt0y1/1PvIAi6OhZ\nx+K8rTRRLNZi47k4w8rXpUVbdChhXsjG4X695fYYjHS+J4a21hYWIEkUYAUKYQ+A\n627JrvJSoDAEKOYFqTw4LYB1mXGLGTcNoNaWfd75Syd58nzDPd6oyKCn04xUSlwJ\nAZuMKarLXAxrkKZUvKqvIZtjxTDyVrfHYCEXVSF116YAFfWZWIpKbLNxzG7z3LQi\nc86l8EQP9GyXe3QCGwgHVess0BDAI9IAuI3B0inIdTwyRuBQYYiI8+LXAMPSjvOr\nVd3T1cB7AgMBAAECggEAXlgqEjJTsATHNwbn4LUS562fXscwEyQ/Sry5YfbhtNtn\nxeIUwjY5KHMB1VBlCg2Z0qf6KqRt6MNO5kSObAdjU/XWrH72nEiOXl7hDVnqaNJl\nZ9im0w+SjrhcJbm4uWkEZo++qdT7jw3QHUA2/ZuRO4jb7JLBytumwQ3bB4Gg40fy\nfSC0/EsS2boD8lM/ncdrgNcXzP2WrdyBSU59MAnHAFXq54PNhIMtiFj3bt/0Rc+A\ntYW0QWKi9QXvNEGwAspDjhHhiWR8ERkjfukgu2Pypo2Maxn2tktPYtK56Qx1vATo\n2hlA3YWEbMY0JqoPCSFIoeohiVIWfZzhkFe4kfBfoQKBgQD3YDKzRYVUt79Jt+Lp\nLnzzGbqOkePg8JKvTEGAaB+YJkWEXu4vi9IqDhfYxBQG/7AKSvhfWvwox56hErX9\nKnGiY+jv3jk6dez0F7BCWmfpQBbbwt3/oJCR9A3HRx+lySqubWKQ//YNpfOFVLP4\nrjH8vtkVCVbNEICuFauTYJbVawKBgQDZNC0k5dtbjrcROemIMCy59CrJIc2tSepG\njX7z1MTh4lGascYplGnWV9QwIxl6VTK4zxHxzLHH2qoge1GqD+9OXtv9HGHXc4Yp\nNWITLWptBZ7QsCGE0gHZC4m57ssHVEgCy+7oBle8JFxkJ6Mj8xHjlVCS8Riz6Hra\nNWCFlId1MQKBgQC7JfcVc3oMfrrkHY84lGgJTqS56Zt5+OcwYcOITr3gUMv0+hC+\nvcww7tqRrr3sEZJwJwnCskXk4CideVdfgbXYgjefCQNIvCCZBjbd7CGC8G6asdFb\n7HCTSw0Ff0RtG0UEE1Mnmc3fw3X5n/xMHhVJPmVjKd6WY27GxTQ52jAiowKBgDA1\nZne0FNXjfTpzkiPKHYNAcGan/BCkQT1blnvkE7bXFqmxH3yHFl6eq9frUnJWiqV+\nQEtc1XC4Vd5TwLJwSvsoDsfFDupVF8f5s0TyZZbBEpjbHvVt7z8PUohUOffsevcz\n8FjLX5nAsEkCizEleCj9MR8MKCF2Th40jrHXX6FhAoGBAKemAHiasELkXTBJiMoS\nMtO7StR3Ps78x4Xuc8kIvqcqiYDAywEpu6uaUt8g3hsA2Q8x+XXh+Yi5GUBuCpnJ\nDcBFo4njU3qOiyXxoZpoOXK89W9WF1H2sE5tucQ5hYK06Zro/ytzcUuJz07wYNHD\nJfh3TZ44xRbpcUn192JbQbis\n-----END PRIVATE KEY-----','\n',char(10)),'2026-12-02 09:00:00',1);
CREATE TABLE IF NOT EXISTS "Invitations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Invitations" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "Role" INTEGER NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "AcceptedAt" TEXT NULL,
    CONSTRAINT "FK_Invitations_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Invitations VALUES(1,1,'d7e614bdee09fba41ed019efab9649dda75889d1050effb78181550c2ba240e4',0,'2026-12-09 10:00:00',NULL);
INSERT INTO Invitations VALUES(2,2,'7f50602e62cef13aa42c71bc557624ca576e4dc6e4d7b8c410c99f830e29199c',0,'2026-12-07 10:00:00','2026-12-02 09:00:00');
CREATE TABLE IF NOT EXISTS "Memberships" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Memberships" PRIMARY KEY AUTOINCREMENT,
    "AccountId" INTEGER NOT NULL,
    "ShopId" INTEGER NOT NULL,
    "Role" INTEGER NOT NULL,
    CONSTRAINT "FK_Memberships_Accounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "Accounts" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Memberships_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Memberships VALUES(1,1,1,1);
INSERT INTO Memberships VALUES(2,2,2,1);
INSERT INTO Memberships VALUES(3,1,2,0);
CREATE TABLE IF NOT EXISTS "MenuTranslations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_MenuTranslations" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Kind" INTEGER NOT NULL,
    "TargetId" INTEGER NOT NULL,
    "Language" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    CONSTRAINT "FK_MenuTranslations_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO MenuTranslations VALUES(1,1,1,1,'zh-Hans','咖啡','现磨咖啡');
INSERT INTO MenuTranslations VALUES(2,1,1,2,'zh-Hans','蛋糕','');
INSERT INTO MenuTranslations VALUES(3,1,2,1,'zh-Hans','大小','');
INSERT INTO MenuTranslations VALUES(4,1,3,2,'zh-Hans','大杯','');
CREATE TABLE IF NOT EXISTS "OpeningRange" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OpeningRange" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Day" INTEGER NOT NULL,
    "Opens" INTEGER NOT NULL,
    "Closes" INTEGER NOT NULL,
    CONSTRAINT "FK_OpeningRange_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO OpeningRange VALUES(1,1,0,0,1440);
INSERT INTO OpeningRange VALUES(2,1,1,0,1440);
INSERT INTO OpeningRange VALUES(3,1,2,0,1440);
INSERT INTO OpeningRange VALUES(4,1,3,0,1440);
INSERT INTO OpeningRange VALUES(5,1,4,0,1440);
INSERT INTO OpeningRange VALUES(6,1,5,0,1440);
INSERT INTO OpeningRange VALUES(7,1,6,0,1440);
INSERT INTO OpeningRange VALUES(8,2,0,0,1440);
INSERT INTO OpeningRange VALUES(9,2,1,0,1440);
INSERT INTO OpeningRange VALUES(10,2,2,0,1440);
INSERT INTO OpeningRange VALUES(11,2,3,0,1440);
INSERT INTO OpeningRange VALUES(12,2,4,0,1440);
INSERT INTO OpeningRange VALUES(13,2,5,0,1440);
INSERT INTO OpeningRange VALUES(14,2,6,0,1440);
CREATE TABLE IF NOT EXISTS "Orders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Orders" PRIMARY KEY,
    "ShopId" INTEGER NOT NULL,
    "Number" TEXT NOT NULL,
    "BusinessDay" INTEGER NOT NULL,
    "Type" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "TableCode" TEXT NULL,
    "PickupAt" TEXT NULL,
    "DeliveryAddress" TEXT NULL,
    "CustomerName" TEXT NOT NULL,
    "CustomerPhone" TEXT NOT NULL,
    "Note" TEXT NULL,
    "Currency" TEXT NOT NULL,
    "ItemsTotal" INTEGER NOT NULL,
    "DeliveryFee" INTEGER NOT NULL,
    "Tip" INTEGER NOT NULL,
    "Tax" INTEGER NOT NULL,
    "Total" INTEGER NOT NULL,
    "PricesIncludeTax" INTEGER NOT NULL,
    "TaxBreakdown" TEXT NOT NULL,
    "PlacedAt" TEXT NOT NULL,
    "ReadyAt" TEXT NULL,
    "Reason" TEXT NULL,
    CONSTRAINT "FK_Orders_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id")
);
INSERT INTO Orders VALUES('01A23632-5D00-758C-A01E-4D0DB70BB813',1,'A-001',20261202,0,4,'7',NULL,NULL,'李雷 Li Lei','+49 30 5550101','少糖，谢谢 — less sugar please','EUR',1870,0,100,256,1970,1,'700:450:29;1900:1420:227','2026-12-02 10:00:00',NULL,NULL);
INSERT INTO Orders VALUES('01A2363A-9A60-7D93-B180-156CB00AA965',1,'A-002',20261202,1,1,NULL,'2026-12-02 11:00:00',NULL,'Anna Schmidt','+49 30 5550102',NULL,'EUR',2260,0,0,295,2260,1,'700:700:46;1900:1560:249','2026-12-02 10:09:00',NULL,NULL);
INSERT INTO Orders VALUES('01A2363A-9A60-78BD-AD29-72305FE19589',1,'A-003',20261202,1,5,NULL,NULL,NULL,'张伟','+49 30 5550103',NULL,'EUR',350,0,0,23,350,1,'700:350:23','2026-12-02 10:09:00',NULL,'今天的包子卖完了 — no buns left today');
CREATE TABLE IF NOT EXISTS "PendingFollowers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PendingFollowers" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "Inbox" TEXT NOT NULL,
    "SharedInbox" TEXT NULL,
    "FollowActivityId" TEXT NOT NULL,
    "FollowPayload" TEXT NOT NULL,
    "RequestedAt" TEXT NOT NULL,
    CONSTRAINT "FK_PendingFollowers_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO PendingFollowers VALUES(1,1,'https://social.example/users/wei','https://social.example/users/wei/inbox',NULL,'https://social.example/activities/follow-3','{"@context":"https://www.w3.org/ns/activitystreams","id":"https://social.example/activities/follow-3","type":"Follow","actor":"https://social.example/users/wei","object":"http://localhost/actors/lantern-tea"}','2026-12-02 09:55:00');
CREATE TABLE IF NOT EXISTS "ShopBlocks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ShopBlocks" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "BlockedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ShopBlocks_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO ShopBlocks VALUES(1,1,'https://spam.example/users/bot','2026-12-02 09:20:00');
CREATE TABLE IF NOT EXISTS "ShopKeys" (
    "ShopId" INTEGER NOT NULL CONSTRAINT "PK_ShopKeys" PRIMARY KEY,
    "PublicKeyPem" TEXT NOT NULL,
    "PrivateKeyPem" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ShopKeys_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO ShopKeys VALUES(1,replace('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAofQ5ElBmBWBULwjMLPNE\nNZVymGL3o2FVw05dWAtESQq3yqtcQtzaBQX6mof/nvAW2JaAeVjPMw9Gopkx6vBq\ntPiNIhodl6OC7YhSbYDMj2cE02NPlf/yAxJGSFcr3orrCrLcp3Ve16l8MNNgmjD+\nwNJNB5ZeJMeEXS2LNlKs4Hu137n31HPH9Xw989eM7gR+EHaoObBgebSNR4txItUy\ngwclt27swbWrXL4ePKbyluroTrwdRIP+g8qYm4zHeBKSeP5ed3TVgHfeyxT9bxEP\nYstOVr1xioXvIoBpMH55f3L7APIr9Enyy2Ri7qGZ1QiV7SJ0ySs9k8zxw8xu4AMe\nsQIDAQAB\n-----END PUBLIC KEY-----','\n',char(10)),replace('-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCh9DkSUGYFYFQv\nCMws80Q1lXKYYvejYVXDTl1YC0RJCrfKq1xC3NoFBfqah/+e8BbYloB5WM8zD0ai\nmTHq8Gq0+I0iGh2Xo4LtiFJtgMyPZwTTY0+V//IDEkZIVyveiusKstyndV7XqXww\n02CaMP7A0k0Hll4kx4RdLYs2Uqzge7XfuffUc8f1fD3z14zuBH4Qdqg5sGB5tI1H\ni3Ei1TKDByW3buzBtatcvh48pvKW6uhOvB1Eg/6DypibjMd4EpJ4/l53dNWAd97L\nFP1vEQ9iy05WvXGKhe8igGkwfnl/cvsA8iv0SfLLZGLuoZnVCJXtInTJKz2TzPHD\nzG7gAx6xAgMBAAECggEAAbf9SQ/4XTM+AXfG7u0v+p+Y5Twbo6y7Q8TXocEQ2vOV\nqr1xz7XXTHlZRP2PfWjP3UGPoHoMTN7rIXudt4AQqdX/bW64hKz0DUBGm6njwdvW\nhcXGiPF76INvooHmUcjIoMbwJ4jL1l8SldQQcOJ3OaWhsqRqYFqLsY9zrEJpWkKB\ngmd8qITxZXSYtRdxiSI65++LfhTFz96ivnd3PS8JtoOYd8/VSLPkw9ez9I2GlyyH\nUNMmy4+jEQ0dGvb3pmLn+O7ofS6mLHF/JUml3sbURvebf87aabCeEUu+QeWxYkjC\n1jHgjCscSDaYHGKzk8qBP1T7nvMXhdRYXYh9kfFEYQKBgQDV10Veh4KBL+Z1u3M0\ncGqdZqK0d+3ppwyVhCKmuKwMzJdfTX9kPaURAWWsOP/SBfOlhG7OEypunfUaDXUw\n1jsgivXh7XKyZWu3WdQHYraqi2d/uY5UM0zbnRyj+j/wJiaKLOc4feet8zx/tIhB\nXwglf/eu+YbnqUvovZeOVJ8/KQKBgQDB4i0rDuI3WY5cTa9jIvSYRke9aynABLv8\ngrvms6zGLTaLjhSskxc9g3piF7hfzXilHygWzFYzzvJUv8GZclarObe4r96roSZw\nZtblVA4ucLzlGRjyz8IXavUkfjjpbR8fUI8vz5XRhBhPFP3v7cgb0/X4cnBySYR1\n1jmfyXi8SQKBgH7uIgIDY6a1PRHDK5YD6HT3uDpxOapIewLBBSR7V7zdMDjksmpY\n4QMgFi7NQqRy3fXwjykJXVV9s0A8nsRXVY9yjJMHs95Kr06NJnsf0BeZWd0J0n8O\nWF+/eYGoCI3Ox2+bScBRk9TAHbgb/Aj5lMdVlzqoaLhX2HQVHcHhXwlJAoGAMt6P\n8UsvaUxTAL7VNJKYUFeoPPef9aSIWiFHAanEvB5iwEzf+cOCBn63noMQufokHFbH\nYuvr9h3nEPta5VLNkJFNNeTW7HsUpcsluPfL3L1xoj5qgFKoXxKODSwc7InX75Ro\nbSfu7BDXe/BLDCd8KGj9kVkdTa8iVPSHG/h1eBkCgYBiowTLNggB34YhKZQ8YSIR\nd0fsPZZbT4YeWMP35rI7x4I219Zo81fjGwJJH5MdRK8SoJQzPN1DqE38Yj3omFKh\nC2fqdMbByjEl0FfDp1tf+G7bI0SKiDokYTYG+qO3XGJXtEotkdzG6DoADv8BeSUe\nEl9/Rm40Jwl40cDWbi8LRw==\n-----END PRIVATE KEY-----','\n',char(10)),'2026-12-02 10:09:00');
INSERT INTO ShopKeys VALUES(2,replace('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1prO04bCJsViai87Fgid\nTZnHJdFmCUuy6GIVevmr37hzXyHhM5a8cXsuH3ruvMQbA3qVxSvGIAv3MhKacsZV\nxX18leVlVPqNFLXpw+b+K4PM5JAeUhe59X8D5qE1u7iiEKxkQUPiBghBs16gN89t\nUeTgVK0j8Qto2JTsLHL9NEMQevsFnGaw2zWkogxsB658bpuSlWq28FlW4yvW8Lhw\nu1XYdu8rl+6v0PmVhVuP4njvSQcZrOFIhr+r+h6LRirmNXQSwFrrW8hmew0tvNui\nZbKRi7rbxcx1C3TQfZV8zjG4FWQrYmrTg8ooEzmqV5A9eJyA9rxHPvvRRb6CxIxr\nVwIDAQAB\n-----END PUBLIC KEY-----','\n',char(10)),replace('-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDWms7ThsImxWJq\nLzsWCJ1Nmccl0WYJS7LoYhV6+avfuHNfIeEzlrxxey4feu68xBsDepXFK8YgC/cy\nEppyxlXFfXyV5WVU+o0UtenD5v4rg8zkkB5SF7n1fwPmoTW7uKIQrGRBQ+IGCEGz\nXqA3z21R5OBUrSPxC2jYlOwscv00QxB6+wWcZrDbNaSiDGwHrnxum5KVarbwWVbj\nK9bwuHC7Vdh27yuX7q/Q+ZWFW4/ieO9JBxms4UiGv6v6HotGKuY1dBLAWutbyGZ7\nDS2826JlspGLutvFzHULdNB9lXzOMbgVZCtiatODyigTOapXkD14nID2vEc++9FF\nvoLEjGtXAgMBAAECggEAIKKBwaS0YVf9O3+Q4Sy7MHdU/mPFvAkmckn5e+4m3HUn\nb6KZJWgOom/kgjCxcxmcBV8+vQax8OKmRezn+XyUGN3DNI+iEBZank58TOho44N+\nBONZBmE0TBMeK+l9CzMsdhOj2qbw4rueXiFi2kncFSrp5bE/Y3hkNSIPI5fy+F9+\nb+xeA/WvyNOW6u8EjUR3B1sTGENDScm+w0AFA4RLkKrZONsEz6dNfYPwLBEXeYgO\nsjcZ7b49j4Q+iNzs0q/txsp1A4NzpKIVMXd45Xh0W3wVj9PEj7EGm/GHBPqioWXa\nesRgCi/JeoKm1/7STPD4NH5oE28bsV/Ao3Ok4mwDfQKBgQD1TFmzzB128dTF7HXf\niaulcr8GbUigYeONWh65sm/naVVBzXs6ieGqu51hC4QX7Dfvoxmz+KtVay08cyaH\nDJ/gw+uCUEJTj+uq9DyUtNcFvK3UE1CcS9O3B9cpjTYF+qEJmYP0FMCSv5wjlePj\nHTkGv+blwX1QLOyVovqR9G3JWwKBgQDf96cAkxycP9S3RmmbC4unSslCBRza8K1r\nZJk5qjhpV1FC1x43Qc6bBK/alrle/J+ZACQDM/OgdkgijKNaGg6pzvEyP7/6SDPV\nLZHqq4lAL0SzBtGt3NnluyzcoguW3Z87aXmTe8k7P7RqSYzgqxYfp9a7Zu2jGbp7\no1cimMaKtQKBgDKHc8LxvPAPiMDsoKtXdKA0Lt1oDZncED/B3Kpr81k7/W/8n/HD\nDVVaKGUhNiinZC5c7qKACushlMPrBHi1RQnL0euaFM+ZyfYBMamARvrLjxMsl2Ja\nzFXbq5rHl+VLZ3jOwru4uqKADe3WpobWMjUNusaBQQsO9f0tAWinbSYZAoGBAMcG\n7ept0OvtMVvY/7nfbbAxnl3D61uIq6OW1y9OXCkIhlcOkXRrT22koZ1vebW2ayFs\n5ZPPE/4RfpLtRbCpHUS7eM29px2EEkOr5lKTMznNh5BMTALkEuK7DefXPNNJiNok\nJfzw8Ods+ifFyqJQhy2EWidZFW5uS7DZe3JsL2tNAoGBANjjYLMEm8MhFBRo0Sd4\ntjaaZDwXgidmNYL8zGmIReAcg3yTDF2Hu/8SPImSVh/s++1MIzzL3HOyrQik54fs\nPWL7BdSy65kqIw5VkvCLXaKYbaWdEeuKmZtbWH81inoaHFs3/CaPwWTndtHvV/pH\nwANZuubUiOPmyM49Ki+zfzos\n-----END PRIVATE KEY-----','\n',char(10)),'2026-12-02 10:09:00');
CREATE TABLE IF NOT EXISTS "Tables" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Tables" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    CONSTRAINT "FK_Tables_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Tables VALUES(1,1,'7','Table 7');
INSERT INTO Tables VALUES(2,1,'garden-2','花园 2 Garden 2');
INSERT INTO Tables VALUES(3,2,'1','Window');
CREATE TABLE IF NOT EXISTS "TaxRate" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TaxRate" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "BasisPoints" INTEGER NOT NULL,
    CONSTRAINT "FK_TaxRate_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO TaxRate VALUES(1,1,'food','Food (7 %)',700);
INSERT INTO TaxRate VALUES(2,1,'drinks','Drinks (19 %)',1900);
INSERT INTO TaxRate VALUES(3,2,'food','Food (7 %)',700);
INSERT INTO TaxRate VALUES(4,2,'drinks','Drinks (19 %)',1900);
CREATE TABLE IF NOT EXISTS "Items" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Items" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "CategoryId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Price" INTEGER NOT NULL,
    "ImageUrl" TEXT NULL,
    "Tags" TEXT NOT NULL,
    "Allergens" INTEGER NOT NULL,
    "SoldOut" INTEGER NOT NULL,
    "Stock" INTEGER NULL,
    "TaxCategory" TEXT NOT NULL,
    "Position" INTEGER NOT NULL,
    CONSTRAINT "FK_Items_Categories_CategoryId" FOREIGN KEY ("CategoryId") REFERENCES "Categories" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Items_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id")
);
INSERT INTO Items VALUES(1,1,1,'Coffee','',300,NULL,'',0,0,NULL,'drinks',0);
INSERT INTO Items VALUES(2,1,1,'Cake','',450,NULL,'',0,0,NULL,'food',1);
INSERT INTO Items VALUES(3,1,1,'Bun','',350,NULL,'',0,0,8,'food',2);
INSERT INTO Items VALUES(4,1,2,'龙井绿茶 Longjing','西湖龙井，明前采摘。',480,NULL,'vegan,热饮',0,0,NULL,'drinks',0);
INSERT INTO Items VALUES(5,1,2,'桂花乌龙 Osmanthus oolong','',520,NULL,'',0,0,NULL,'drinks',1);
INSERT INTO Items VALUES(6,1,2,'月饼 Mooncake','Lotus seed paste, salted egg yolk.',390,NULL,'',5,0,12,'food',2);
INSERT INTO Items VALUES(7,2,3,'Sourdough loaf','',650,NULL,'',1,0,NULL,'food',0);
INSERT INTO Items VALUES(8,2,3,'葱油饼 Scallion pancake','',350,NULL,'',0,0,NULL,'food',1);
CREATE TABLE IF NOT EXISTS "HubMembers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_HubMembers" PRIMARY KEY AUTOINCREMENT,
    "HubId" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "Inbox" TEXT NOT NULL,
    "SharedInbox" TEXT NULL,
    "FollowActivityId" TEXT NULL,
    "FollowBackId" TEXT NOT NULL,
    "FollowBackAccepted" INTEGER NOT NULL,
    "Pending" INTEGER NOT NULL,
    "JoinedAt" TEXT NOT NULL,
    CONSTRAINT "FK_HubMembers_Hubs_HubId" FOREIGN KEY ("HubId") REFERENCES "Hubs" ("Id") ON DELETE CASCADE
);
INSERT INTO HubMembers VALUES(1,1,'https://noodles.example/actors/noodle-bar','https://noodles.example/actors/noodle-bar/inbox','https://noodles.example/inbox','https://noodles.example/activities/follow-hub','http://localhost/hubs/kreuzberg-eats/activities/follow/3c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d',1,0,'2026-12-02 09:05:00');
INSERT INTO HubMembers VALUES(2,1,'https://dumplings.example/actors/dumpling-house','https://dumplings.example/actors/dumpling-house/inbox',NULL,NULL,'http://localhost/hubs/kreuzberg-eats/activities/follow/4d0b1c2e3f4a5b6c7d8e9f0a1b2c3d4e',0,1,'2026-12-02 09:52:00');
CREATE TABLE IF NOT EXISTS "OrderLines" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OrderLines" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "OrderId" TEXT NOT NULL,
    "ItemId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Options" TEXT NOT NULL,
    "OptionIds" TEXT NOT NULL,
    "Quantity" INTEGER NOT NULL,
    "UnitPrice" INTEGER NOT NULL,
    "LineTotal" INTEGER NOT NULL,
    "TaxBasisPoints" INTEGER NOT NULL,
    CONSTRAINT "FK_OrderLines_Orders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "Orders" ("Id") ON DELETE CASCADE
);
INSERT INTO OrderLines VALUES(1,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',1,'Coffee','Large, Extra shot','2,3',2,430,860,1900);
INSERT INTO OrderLines VALUES(2,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',2,'Cake','','',1,450,450,700);
INSERT INTO OrderLines VALUES(3,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',4,'龙井绿茶 Longjing','大杯 Large','7',1,560,560,1900);
INSERT INTO OrderLines VALUES(4,1,'01A2363A-9A60-7D93-B180-156CB00AA965',5,'桂花乌龙 Osmanthus oolong','','',3,520,1560,1900);
INSERT INTO OrderLines VALUES(5,1,'01A2363A-9A60-7D93-B180-156CB00AA965',3,'Bun','','',2,350,700,700);
INSERT INTO OrderLines VALUES(6,1,'01A2363A-9A60-78BD-AD29-72305FE19589',3,'Bun','','',1,350,350,700);
CREATE TABLE IF NOT EXISTS "OrderTransitions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OrderTransitions" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "OrderId" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "At" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "Reason" TEXT NULL,
    CONSTRAINT "FK_OrderTransitions_Orders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "Orders" ("Id") ON DELETE CASCADE
);
INSERT INTO OrderTransitions VALUES(1,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',0,'2026-12-02 10:00:00','customer',NULL);
INSERT INTO OrderTransitions VALUES(2,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',1,'2026-12-02 10:01:00','token:厨房 kitchen screen',NULL);
INSERT INTO OrderTransitions VALUES(3,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',2,'2026-12-02 10:03:00','token:厨房 kitchen screen',NULL);
INSERT INTO OrderTransitions VALUES(4,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',3,'2026-12-02 10:05:00','token:厨房 kitchen screen',NULL);
INSERT INTO OrderTransitions VALUES(5,1,'01A23632-5D00-758C-A01E-4D0DB70BB813',4,'2026-12-02 10:07:00','token:厨房 kitchen screen',NULL);
INSERT INTO OrderTransitions VALUES(6,1,'01A2363A-9A60-7D93-B180-156CB00AA965',0,'2026-12-02 10:09:00','customer',NULL);
INSERT INTO OrderTransitions VALUES(7,1,'01A2363A-9A60-7D93-B180-156CB00AA965',1,'2026-12-02 10:09:00','token:厨房 kitchen screen',NULL);
INSERT INTO OrderTransitions VALUES(8,1,'01A2363A-9A60-78BD-AD29-72305FE19589',0,'2026-12-02 10:09:00','customer',NULL);
INSERT INTO OrderTransitions VALUES(9,1,'01A2363A-9A60-78BD-AD29-72305FE19589',5,'2026-12-02 10:09:00','token:厨房 kitchen screen','今天的包子卖完了 — no buns left today');
CREATE TABLE IF NOT EXISTS "OptionGroups" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OptionGroups" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "ItemId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "MinSelect" INTEGER NOT NULL,
    "MaxSelect" INTEGER NOT NULL,
    "Position" INTEGER NOT NULL,
    CONSTRAINT "FK_OptionGroups_Items_ItemId" FOREIGN KEY ("ItemId") REFERENCES "Items" ("Id") ON DELETE CASCADE
);
INSERT INTO OptionGroups VALUES(1,1,1,'Size',1,1,0);
INSERT INTO OptionGroups VALUES(2,1,1,'Extras',0,2,1);
INSERT INTO OptionGroups VALUES(3,1,4,'杯型 Cup',1,1,0);
CREATE TABLE IF NOT EXISTS "Promotions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Promotions" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "Link" TEXT NULL,
    "ItemId" INTEGER NULL,
    "ImageUrl" TEXT NULL,
    "ImageAlt" TEXT NULL,
    "ImageWidth" INTEGER NULL,
    "ImageHeight" INTEGER NULL,
    "PublishedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NULL,
    "UpdateActivityId" TEXT NULL,
    "DeletedAt" TEXT NULL,
    CONSTRAINT "FK_Promotions_Items_ItemId" FOREIGN KEY ("ItemId") REFERENCES "Items" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Promotions_Shops_ShopId" FOREIGN KEY ("ShopId") REFERENCES "Shops" ("Id") ON DELETE CASCADE
);
INSERT INTO Promotions VALUES(1,1,'桂花乌龙回来了！Osmanthus oolong is back, hot or iced.','http://localhost/s/lantern-tea#item-5',5,'/media/promotions/5e1f0c.webp','一杯桂花乌龙 — a glass of osmanthus oolong on the counter',1200,800,'2026-12-02 09:45:00','2026-12-02 09:48:00','http://localhost/actors/lantern-tea/activities/update/9b2e41d07c5a4e3f8b6d1c0e2f4a6b8d',NULL);
INSERT INTO Promotions VALUES(2,1,'Mooncakes until Sunday',NULL,NULL,NULL,NULL,NULL,NULL,'2026-12-02 09:15:00',NULL,NULL,'2026-12-02 09:57:00');
CREATE TABLE IF NOT EXISTS "Options" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Options" PRIMARY KEY AUTOINCREMENT,
    "ShopId" INTEGER NOT NULL,
    "OptionGroupId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "PriceDelta" INTEGER NOT NULL,
    "Position" INTEGER NOT NULL,
    CONSTRAINT "FK_Options_OptionGroups_OptionGroupId" FOREIGN KEY ("OptionGroupId") REFERENCES "OptionGroups" ("Id") ON DELETE CASCADE
);
INSERT INTO Options VALUES(1,1,1,'Regular',0,0);
INSERT INTO Options VALUES(2,1,1,'Large',60,1);
INSERT INTO Options VALUES(3,1,2,'Extra shot',70,0);
INSERT INTO Options VALUES(4,1,2,'Syrup',40,1);
INSERT INTO Options VALUES(5,1,2,'Cream',30,2);
INSERT INTO Options VALUES(6,1,3,'中杯 Regular',0,0);
INSERT INTO Options VALUES(7,1,3,'大杯 Large',80,1);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('Shops',2);
INSERT INTO sqlite_sequence VALUES('OpeningRange',14);
INSERT INTO sqlite_sequence VALUES('TaxRate',4);
INSERT INTO sqlite_sequence VALUES('Categories',3);
INSERT INTO sqlite_sequence VALUES('Tables',3);
INSERT INTO sqlite_sequence VALUES('Items',8);
INSERT INTO sqlite_sequence VALUES('OptionGroups',3);
INSERT INTO sqlite_sequence VALUES('Options',7);
INSERT INTO sqlite_sequence VALUES('MenuTranslations',4);
INSERT INTO sqlite_sequence VALUES('Accounts',2);
INSERT INTO sqlite_sequence VALUES('Invitations',2);
INSERT INTO sqlite_sequence VALUES('Memberships',3);
INSERT INTO sqlite_sequence VALUES('ApiTokens',4);
INSERT INTO sqlite_sequence VALUES('IdempotencyKeys',3);
INSERT INTO sqlite_sequence VALUES('OrderLines',6);
INSERT INTO sqlite_sequence VALUES('OrderTransitions',9);
INSERT INTO sqlite_sequence VALUES('Followers',3);
INSERT INTO sqlite_sequence VALUES('Followings',2);
INSERT INTO sqlite_sequence VALUES('PendingFollowers',1);
INSERT INTO sqlite_sequence VALUES('Promotions',2);
INSERT INTO sqlite_sequence VALUES('ShopBlocks',1);
INSERT INTO sqlite_sequence VALUES('Hubs',1);
INSERT INTO sqlite_sequence VALUES('Boosts',1);
INSERT INTO sqlite_sequence VALUES('Deliveries',4);
INSERT INTO sqlite_sequence VALUES('DirectorySubscriptions',1);
INSERT INTO sqlite_sequence VALUES('HubMembers',2);
INSERT INTO sqlite_sequence VALUES('InboxActivities',3);
INSERT INTO sqlite_sequence VALUES('ReportAttempts',1);
INSERT INTO sqlite_sequence VALUES('Reports',3);
INSERT INTO sqlite_sequence VALUES('KnownShops',2);
CREATE UNIQUE INDEX "IX_Accounts_Email" ON "Accounts" ("Email");
CREATE UNIQUE INDEX "IX_ApiTokens_TokenHash" ON "ApiTokens" ("TokenHash");
CREATE UNIQUE INDEX "IX_Boosts_AnnounceId" ON "Boosts" ("AnnounceId");
CREATE UNIQUE INDEX "IX_Boosts_ShopId_ObjectId" ON "Boosts" ("ShopId", "ObjectId");
CREATE INDEX "IX_Categories_ShopId_Position" ON "Categories" ("ShopId", "Position");
CREATE UNIQUE INDEX "IX_Deliveries_ActivityId_Inbox" ON "Deliveries" ("ActivityId", "Inbox");
CREATE INDEX "IX_Deliveries_DeliveredAt_FailedAt_NextAttemptAt" ON "Deliveries" ("DeliveredAt", "FailedAt", "NextAttemptAt");
CREATE INDEX "IX_Deliveries_ShopId" ON "Deliveries" ("ShopId");
CREATE UNIQUE INDEX "IX_DirectorySubscriptions_Url" ON "DirectorySubscriptions" ("Url");
CREATE UNIQUE INDEX "IX_Followers_ShopId_ActorId" ON "Followers" ("ShopId", "ActorId");
CREATE UNIQUE INDEX "IX_Followings_FollowActivityId" ON "Followings" ("FollowActivityId");
CREATE UNIQUE INDEX "IX_Followings_ShopId_ActorId" ON "Followings" ("ShopId", "ActorId");
CREATE INDEX "IX_HubMembers_ActorId" ON "HubMembers" ("ActorId");
CREATE UNIQUE INDEX "IX_HubMembers_FollowBackId" ON "HubMembers" ("FollowBackId");
CREATE UNIQUE INDEX "IX_HubMembers_HubId_ActorId" ON "HubMembers" ("HubId", "ActorId");
CREATE UNIQUE INDEX "IX_Hubs_Name" ON "Hubs" ("Name");
CREATE INDEX "IX_Hubs_ShopId" ON "Hubs" ("ShopId");
CREATE UNIQUE INDEX "IX_IdempotencyKeys_ShopId_Key" ON "IdempotencyKeys" ("ShopId", "Key");
CREATE UNIQUE INDEX "IX_InboxActivities_ActivityId" ON "InboxActivities" ("ActivityId");
CREATE INDEX "IX_InboxActivities_ActorHost_ReceivedAt" ON "InboxActivities" ("ActorHost", "ReceivedAt");
CREATE INDEX "IX_InboxActivities_ActorId_ReceivedAt" ON "InboxActivities" ("ActorId", "ReceivedAt");
CREATE INDEX "IX_InboxActivities_ProcessedAt_LeaseUntil" ON "InboxActivities" ("ProcessedAt", "LeaseUntil");
CREATE INDEX "IX_Invitations_ShopId" ON "Invitations" ("ShopId");
CREATE UNIQUE INDEX "IX_Invitations_TokenHash" ON "Invitations" ("TokenHash");
CREATE INDEX "IX_Items_CategoryId" ON "Items" ("CategoryId");
CREATE INDEX "IX_Items_ShopId_CategoryId_Position" ON "Items" ("ShopId", "CategoryId", "Position");
CREATE UNIQUE INDEX "IX_KnownShops_ActorId" ON "KnownShops" ("ActorId");
CREATE INDEX "IX_KnownShops_Domain" ON "KnownShops" ("Domain");
CREATE INDEX "IX_KnownShops_Latitude_Longitude" ON "KnownShops" ("Latitude", "Longitude");
CREATE INDEX "IX_KnownShops_SubscriptionId" ON "KnownShops" ("SubscriptionId");
CREATE UNIQUE INDEX "IX_Memberships_AccountId_ShopId" ON "Memberships" ("AccountId", "ShopId");
CREATE INDEX "IX_Memberships_ShopId" ON "Memberships" ("ShopId");
CREATE UNIQUE INDEX "IX_MenuTranslations_ShopId_Language_Kind_TargetId" ON "MenuTranslations" ("ShopId", "Language", "Kind", "TargetId");
CREATE INDEX "IX_OpeningRange_ShopId_Day" ON "OpeningRange" ("ShopId", "Day");
CREATE INDEX "IX_OptionGroups_ItemId" ON "OptionGroups" ("ItemId");
CREATE INDEX "IX_OptionGroups_ShopId_ItemId" ON "OptionGroups" ("ShopId", "ItemId");
CREATE INDEX "IX_Options_OptionGroupId" ON "Options" ("OptionGroupId");
CREATE INDEX "IX_Options_ShopId_OptionGroupId" ON "Options" ("ShopId", "OptionGroupId");
CREATE INDEX "IX_OrderLines_OrderId" ON "OrderLines" ("OrderId");
CREATE INDEX "IX_Orders_Sales" ON "Orders" ("ShopId", "BusinessDay", "Status", "Type", "Total", "ItemsTotal", "Tax", "Tip", "DeliveryFee");
CREATE UNIQUE INDEX "IX_Orders_ShopId_BusinessDay_Number" ON "Orders" ("ShopId", "BusinessDay", "Number");
CREATE INDEX "IX_Orders_ShopId_PlacedAt" ON "Orders" ("ShopId", "PlacedAt");
CREATE INDEX "IX_OrderTransitions_OrderId" ON "OrderTransitions" ("OrderId");
CREATE UNIQUE INDEX "IX_PendingFollowers_ShopId_ActorId" ON "PendingFollowers" ("ShopId", "ActorId");
CREATE INDEX "IX_Promotions_ItemId" ON "Promotions" ("ItemId");
CREATE INDEX "IX_Promotions_ShopId_PublishedAt" ON "Promotions" ("ShopId", "PublishedAt");
CREATE INDEX "IX_RemoteActors_KeyId" ON "RemoteActors" ("KeyId");
CREATE INDEX "IX_ReportAttempts_At" ON "ReportAttempts" ("At");
CREATE INDEX "IX_ReportAttempts_ClientKey_At" ON "ReportAttempts" ("ClientKey", "At");
CREATE INDEX "IX_Reports_CreatedAt" ON "Reports" ("CreatedAt");
CREATE INDEX "IX_Reports_ForwardRetryAt" ON "Reports" ("ForwardRetryAt");
CREATE UNIQUE INDEX "IX_ShopBlocks_ShopId_ActorId" ON "ShopBlocks" ("ShopId", "ActorId");
CREATE UNIQUE INDEX "IX_Shops_Slug" ON "Shops" ("Slug");
CREATE UNIQUE INDEX "IX_Tables_ShopId_Code" ON "Tables" ("ShopId", "Code");
CREATE UNIQUE INDEX "IX_TaxRate_ShopId_Code" ON "TaxRate" ("ShopId", "Code");
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
CREATE TRIGGER "catalog_Shops_update" AFTER UPDATE ON "Shops" WHEN NEW."CatalogVersion" = OLD."CatalogVersion"
BEGIN UPDATE "Shops" SET "CatalogVersion" = OLD."CatalogVersion" + 1 WHERE "Id" = NEW."Id"; END;
COMMIT;
