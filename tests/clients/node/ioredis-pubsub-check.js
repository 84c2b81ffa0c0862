// Pub/Sub with ioredis 6: a subscriber connection (subscribe, psubscribe, ssubscribe and the
// 'message', 'pmessage', 'smessage' and '...Buffer' events) and a publisher. Run by
// tests/EndToEnd.Tests (PubSub/PubSubClientTests): `node ioredis-pubsub-check.js <port> [2|3]`
// (ioredis 6 speaks RESP3 unless told protocol 2). Prints one JSON line of what it saw; nothing
// in it differs between two correct servers.
'use strict';
const Redis = require('ioredis');

const port = Number(process.argv[2]);
const protocol = Number(process.argv[3] || 3);
const errors = [];

function connect(name) {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    protocol,
    lazyConnect: true,
    connectionName: name,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', (e) => errors.push(`${name}: ${e}`));
  return client;
}

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
  const sub = connect('ioredis-sub');
  const pub = connect('ioredis-pub');
  await sub.connect();
  await pub.connect();

  const events = [];
  const buffers = [];
  sub.on('message', (channel, message) => events.push(['message', channel, message]));
  sub.on('pmessage', (pattern, channel, message) => events.push(['pmessage', pattern, channel, message]));
  sub.on('smessage', (channel, message) => events.push(['smessage', channel, message]));
  sub.on('messageBuffer', (channel, message) => buffers.push(['message', channel.toString('hex'), message.toString('hex')]));

  const result = { protocol };
  result.subscribe = await sub.subscribe('news', 'alerts');
  result.psubscribe = await sub.psubscribe('n*');
  result.ssubscribe = await sub.ssubscribe('shard');
  result.numsub = await pub.pubsub('NUMSUB', 'news', 'alerts', 'zilch');
  result.numpat = await pub.pubsub('NUMPAT');
  result.channels = (await pub.pubsub('CHANNELS')).sort();
  result.shardnumsub = await pub.pubsub('SHARDNUMSUB', 'shard');

  result.publishNews = await pub.publish('news', 'hello');
  result.publishAlerts = await pub.publish('alerts', 'fire');
  result.publishZilch = await pub.publish('zilch', 'x');
  result.publishPatternOnly = await pub.publish('nope', 'y');
  result.spublish = await pub.spublish('shard', 'sharded');
  result.spublishToChannel = await pub.spublish('news', 'not for SUBSCRIBE');
  await waitFor(() => events.length >= 5, '5 events');
  result.events = events.splice(0);

  result.publishBinary = await pub.publish('news', Buffer.from([0, 255, 13, 10]));
  await waitFor(() => buffers.some((b) => b[2] === '00ff0d0a') && events.length >= 2, 'the binary message');
  result.binary = buffers.find((b) => b[2] === '00ff0d0a');
  result.binaryEvents = events.splice(0).map((e) => e.length);

  // 500 numbered messages, pipelined, reach the subscriber in order.
  const pipeline = pub.pipeline();
  for (let i = 0; i < 500; i++) {
    pipeline.publish('alerts', `n${i}`);
  }
  const counts = await pipeline.exec();
  result.pipelinedCounts = [...new Set(counts.map(([error, count]) => (error ? String(error) : count)))];
  await waitFor(() => events.length >= 500, '500 messages');
  result.inOrder = events.every((e, i) => e[0] === 'message' && e[1] === 'alerts' && e[2] === `n${i}`);
  events.splice(0);

  result.unsubscribe = await sub.unsubscribe('news');
  result.punsubscribe = await sub.punsubscribe('n*');
  result.publishAfter = await pub.publish('news', 'gone');
  result.numpatAfter = await pub.pubsub('NUMPAT');
  result.sunsubscribe = await sub.sunsubscribe('shard');
  result.unsubscribeAll = await sub.unsubscribe('alerts');
  result.pingAfter = await sub.ping();

  await sub.quit();
  await pub.quit();
  result.errors = errors;
  console.log(JSON.stringify(result));
})().catch((e) => {
  console.log(JSON.stringify({ failed: String(e && e.stack ? e.stack : e), errors }));
  process.exit(1);
});
