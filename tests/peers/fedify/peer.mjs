// An independent ActivityPub server for Plaza's interop test, built on Fedify 2.3.6.
// It serves one actor (/users/peer) over HTTPS, accepts every Follow, records what its inbox
// receives (only after Fedify has verified the HTTP signature), and offers a small control API
// (/control/...) through which the test makes it look up, follow and send signed activities.
//
// Environment: PEER_PORT, PEER_CERT, PEER_KEY (PEM files); NODE_EXTRA_CA_CERTS for the test CA.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { randomUUID } from "node:crypto";
import {
  createFederation, generateCryptoKeyPair, InProcessMessageQueue, MemoryKvStore, signRequest,
} from "@fedify/fedify";
import { Accept, Create, Delete, Endpoints, Follow, Person, Undo, Update } from "@fedify/fedify/vocab";
import { configure, getConsoleSink } from "@logtape/logtape";

// Fedify's own log on stdout: the test shows it when something fails.
await configure({
  sinks: { console: getConsoleSink() },
  loggers: [
    { category: "fedify", lowestLevel: process.env.PEER_LOG_LEVEL ?? "info", sinks: ["console"] },
    { category: ["logtape", "meta"], lowestLevel: "error", sinks: ["console"] },
  ],
});

const port = Number(process.env.PEER_PORT);
const origin = `https://localhost:${port}`;
const events = [];
const record = (event) => { events.push({ at: new Date().toISOString(), ...event }); };

const federation = createFederation({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  origin,
  // The test's Plaza node lives on loopback.
  allowPrivateAddress: true,
});

const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "peer") return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === "peer" ? [keyPair] : []));

// Which signature format each inbox POST carried, by activity id (noted at the HTTP layer, since
// listeners run later from the queue, after Fedify has verified the signature).
const formats = new Map();
const signatureFormat = (activity) => formats.get(activity.id?.href) ?? "unknown";

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    const follower = await follow.getActor();
    record({ type: "Follow", actor: follow.actorId?.href, object: follow.objectId?.href, signature: signatureFormat(follow) });
    if (follower == null) return;
    await ctx.sendActivity({ identifier: "peer" }, follower, new Accept({
      id: new URL(`/accepts/${randomUUID()}`, origin),
      actor: ctx.getActorUri("peer"),
      object: follow,
    }));
  })
  .on(Accept, async (ctx, accept) => {
    record({ type: "Accept", actor: accept.actorId?.href, object: accept.objectId?.href, signature: signatureFormat(accept) });
  })
  .on(Create, async (ctx, create) => {
    const object = await create.getObject();
    record({
      type: "Create",
      actor: create.actorId?.href,
      objectType: object?.constructor?.name,
      objectId: object?.id?.href,
      content: object?.content?.toString(),
      signature: signatureFormat(create),
    });
  })
  .on(Update, async (_ctx, update) => {
    const object = await update.getObject();
    record({
      type: "Update",
      actor: update.actorId?.href,
      objectType: object?.constructor?.name,
      objectId: object?.id?.href,
      content: object?.content?.toString(),
      updated: object?.updated?.toString(),
      signature: signatureFormat(update),
    });
  })
  .on(Delete, async (_ctx, del) => {
    record({ type: "Delete", actor: del.actorId?.href, object: del.objectId?.href, signature: signatureFormat(del) });
  })
  .on(Undo, async (ctx, undo) => {
    record({ type: "Undo", actor: undo.actorId?.href, signature: signatureFormat(undo) });
  });

// --- the test's control API --------------------------------------------------------------
async function control(path, body) {
  const ctx = federation.createContext(new URL(origin), undefined);
  if (path === "/control/events") return events;
  if (path === "/control/follow") {
    // WebFinger over HTTPS, then the actor document, as Fedify does for any handle.
    const target = await ctx.lookupObject(body.handle);
    if (target == null) return { found: false };
    const looked = {
      found: true,
      id: target.id?.href,
      type: target.constructor.name,
      preferredUsername: target.preferredUsername?.toString(),
      inbox: target.inboxId?.href,
      name: target.name?.toString(),
    };
    record({ ...looked, type: "lookup" });
    await ctx.sendActivity({ identifier: "peer" }, target, new Follow({
      id: new URL(`/follows/${randomUUID()}`, origin),
      actor: ctx.getActorUri("peer"),
      object: target.id,
    }));
    return looked;
  }
  if (path === "/control/send-signed") {
    // A Create(Note) signed by hand in the format asked for; "tamper" changes the body after signing.
    const actor = ctx.getActorUri("peer").href;
    const id = `${origin}/notes/${randomUUID()}`;
    const activity = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${id}/activity`,
      type: "Create",
      actor,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: { id, type: "Note", attributedTo: actor, content: `Hello from Fedify (${body.spec})`, to: ["https://www.w3.org/ns/activitystreams#Public"] },
    };
    const payload = JSON.stringify(activity);
    const unsigned = new Request(body.inbox, {
      method: "POST",
      headers: { "Content-Type": "application/activity+json", Accept: "application/activity+json" },
      body: payload,
    });
    let signed = await signRequest(unsigned, keyPair.privateKey, new URL(`${actor}#main-key`), { spec: body.spec });
    if (body.tamper) {
      signed = new Request(signed.url, { method: "POST", headers: signed.headers, body: payload.replace("Hello", "Buy crypto") });
    }
    const response = await fetch(signed);
    return { status: response.status, activityId: activity.id, body: await response.text() };
  }
  return null;
}

const server = createServer(
  { cert: readFileSync(process.env.PEER_CERT), key: readFileSync(process.env.PEER_KEY) },
  async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url, origin);
      if (url.pathname.startsWith("/control/")) {
        const result = await control(url.pathname, raw.length ? JSON.parse(raw.toString("utf8")) : {});
        res.writeHead(result == null ? 404 : 200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(result));
        return;
      }
      if (req.method === "POST" && url.pathname.endsWith("inbox")) {
        try {
          formats.set(JSON.parse(raw.toString("utf8")).id, req.headers["signature-input"] ? "rfc9421" : "draft-cavage");
        } catch { /* not JSON: Fedify answers it */ }
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
        else if (value != null) headers.set(name, value);
      }
      const request = new Request(url, {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : raw,
      });
      const response = await federation.fetch(request, { contextData: undefined });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      console.error(error);
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(error?.stack ?? error));
    }
  },
);
server.listen(port, "127.0.0.1", () => console.log(`peer ready on ${origin}`));
