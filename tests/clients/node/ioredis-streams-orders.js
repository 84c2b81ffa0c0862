// ioredis against a server: a stream order pipeline with a crashed worker and XAUTOCLAIM.
//
//   node ioredis-streams-orders.js PORT
//
// A producer XADDs orders; two workers join group "workers" (XGROUP CREATE ... MKSTREAM, the second
// gets BUSYGROUP), read with XREADGROUP ... BLOCK 1000 (each on its own connection) and XACK.
// Worker b "crashes" after three batches, leaving its fourth pending; when the producer is done,
// worker a claims what is left with XAUTOCLAIM. Prints one JSON line; exits.
"use strict";
const Redis = require("ioredis");

const port = Number(process.argv[2]);
const ORDERS = 300;
const STREAM = "orders";
const GROUP = "workers";
const connect = () => new Redis({ host: "127.0.0.1", port, lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });

async function joinGroup(r) {
  try {
    return await r.xgroup("CREATE", STREAM, GROUP, "0", "MKSTREAM");
  } catch (e) {
    return e.message;
  }
}

async function main() {
  const result = { errors: [] };
  const processed = { a: [], b: [], claimed: [] };
  const admin = connect();
  await admin.flushall();
  const a = connect();
  const b = connect();
  result.joinA = await joinGroup(a);
  result.joinB = await joinGroup(b);
  let producerDone = false;
  let bAboutToCrash = false;
  let bCrashed = null;
  const crashed = new Promise((resolve) => { bCrashed = resolve; });

  const producer = (async () => {
    const r = connect();
    for (let i = 0; i < ORDERS; i++) {
      await r.xadd(STREAM, "*", "order", String(i), "sent", String(Date.now()));
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    producerDone = true;
    r.disconnect();
  })();

  async function worker(name, r, crashAfter) {
    let batches = 0;
    let idle = 0;
    for (;;) {
      if (crashAfter === null && bAboutToCrash) {
        // Let the crashing worker take a batch of several entries.
        await crashed;
      }
      if (crashAfter !== null && batches === crashAfter) {
        bAboutToCrash = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const reply = await r.xreadgroup("GROUP", GROUP, name, "COUNT", 10, "BLOCK", 1000, "STREAMS", STREAM, ">");
      if (!reply) {
        if (crashAfter !== null && batches >= crashAfter) {
          bCrashed();
          return;
        }
        idle++;
        if (producerDone && idle >= 2) return;
        continue;
      }
      idle = 0;
      const entries = reply[0][1];
      batches++;
      if (crashAfter !== null && batches > crashAfter) {
        result.bLostBatch = entries.length;
        r.disconnect();
        bCrashed();
        return;
      }
      for (const [id, fields] of entries) {
        processed[name].push(fields[fields.indexOf("order") + 1]);
        await r.xack(STREAM, GROUP, id);
      }
    }
  }

  await Promise.all([producer, worker("a", a, null), worker("b", b, 3)]);
  result.pendingBeforeClaim = (await admin.xpending(STREAM, GROUP))[0];
  result.pendingOfB = (await admin.xpending(STREAM, GROUP, "-", "+", 1000, "b")).length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  let cursor = "0-0";
  let rounds = 0;
  do {
    const [next, claimed, deleted] = await a.xautoclaim(STREAM, GROUP, "a", 100, cursor, "COUNT", 1);
    cursor = next;
    result.deletedIds = deleted;
    for (const [id, fields] of claimed) {
      processed.claimed.push(fields[fields.indexOf("order") + 1]);
      await a.xack(STREAM, GROUP, id);
    }
    rounds++;
  } while (cursor !== "0-0" && rounds < 1000);
  const all = [...processed.a, ...processed.b, ...processed.claimed];
  result.processed = all.length;
  result.distinct = new Set(all).size;
  result.exactlyOnce = JSON.stringify(all.map(Number).sort((x, y) => x - y)) === JSON.stringify([...Array(ORDERS).keys()]);
  result.bProcessedSome = processed.b.length > 0;
  result.claimed = processed.claimed.length;
  result.claimRoundsOk = rounds > 1;
  result.pendingAfter = (await admin.xpending(STREAM, GROUP))[0];
  const multi = await admin.multi().xadd("tx", "1-1", "a", "1").xlen("tx").xrange("tx", "-", "+").exec();
  result.multi = multi;
  console.log(JSON.stringify(result));
  a.disconnect();
  admin.disconnect();
}

main().catch((e) => {
  console.log(JSON.stringify({ errors: [String(e && e.stack || e)] }));
  process.exit(1);
});
