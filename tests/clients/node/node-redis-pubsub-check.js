// Pub/Sub with node-redis 6 (RESP3 by default: messages arrive as push frames): a subscriber made
// with duplicate() (subscribe, pSubscribe, sSubscribe, buffer mode) and a publisher. Run by
// tests/EndToEnd.Tests (PubSub/PubSubClientTests): `node node-redis-pubsub-check.js <port>`.
// Prints one JSON line of what it saw; nothing in it differs between two correct servers.
'use strict';
const { createClient } = require('redis');

const port = Number(process.argv[2]);
const errors = [];

async function waitFor(predicate, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

(async () => {
  const pub = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false, connectTimeout: 10000 } });
  pub.on('error', (e) => errors.push(`pub: ${e}`));
  await pub.connect();
  const sub = pub.duplicate();
  sub.on('error', (e) => errors.push(`sub: ${e}`));
  await sub.connect();

  const events = [];
  const result = {};
  result.hello = (await pub.sendCommand(['HELLO'])).proto ?? 'not a map';
  await sub.subscribe(['news', 'alerts'], (message, channel) => events.push(['message', channel, message]));
  await sub.pSubscribe('n*', (message, channel) => events.push(['pmessage', 'n*', channel, message]));
  await sub.sSubscribe('shard', (message, channel) => events.push(['smessage', channel, message]));
  await sub.subscribe('bin', (message, channel) => events.push(['buffer', channel.toString('hex'), message.toString('hex')]), true);

  result.numsub = await pub.pubSubNumSub(['news', 'alerts', 'bin', 'zilch']);
  result.numpat = await pub.pubSubNumPat();
  result.channels = (await pub.pubSubChannels()).sort();
  result.shardChannels = await pub.pubSubShardChannels();
  result.shardNumSub = await pub.pubSubShardNumSub(['shard']);

  result.publishNews = await pub.publish('news', 'hello');
  result.publishAlerts = await pub.publish('alerts', 'fire');
  result.publishZilch = await pub.publish('zilch', 'x');
  result.publishPatternOnly = await pub.publish('nope', 'y');
  result.sPublish = await pub.sPublish('shard', 'sharded');
  result.sPublishToChannel = await pub.sPublish('news', 'not for SUBSCRIBE');
  result.publishBinary = await pub.publish('bin', Buffer.from([0, 255, 13, 10]));
  await waitFor(() => events.length >= 6, '6 events');
  // The listeners of one connection are called in the order the frames arrived.
  result.events = events.splice(0);

  // 500 numbered messages, pipelined (node-redis sends concurrent commands in one batch), in order.
  const counts = await Promise.all(Array.from({ length: 500 }, (_, i) => pub.publish('alerts', `n${i}`)));
  result.counts = [...new Set(counts)];
  await waitFor(() => events.length >= 500, '500 messages');
  result.inOrder = events.every((e, i) => e[0] === 'message' && e[1] === 'alerts' && e[2] === `n${i}`);
  events.splice(0);

  // The subscriber connection stays usable for commands (RESP3 has no subscribed mode).
  result.subPing = await sub.ping();

  await sub.unsubscribe('news');
  await sub.pUnsubscribe('n*');
  result.publishAfter = await pub.publish('news', 'gone');
  result.numpatAfter = await pub.pubSubNumPat();
  await sub.unsubscribe();
  await sub.sUnsubscribe();
  result.numsubAfter = await pub.pubSubNumSub(['news', 'alerts', 'bin']);
  result.shardNumSubAfter = await pub.pubSubShardNumSub(['shard']);

  await sub.close();
  await pub.close();
  result.errors = errors;
  console.log(JSON.stringify(result));
})().catch((e) => {
  console.log(JSON.stringify({ failed: String(e && e.stack ? e.stack : e), errors }));
  process.exit(1);
});
