// Drives the server with node-redis (RESP3: HELLO 3 on connect, then CLIENT SETINFO). Run by
// tests/EndToEnd.Tests: `node node-redis-check.js <port>`. Prints one JSON line of results, then
// waits for stdin to close before disconnecting, so the test can look at the connection from
// another one (CLIENT LIST). Prints a second JSON line once closed.
'use strict';
const { createClient } = require('redis');

const port = Number(process.argv[2]);
const errors = [];

function waitForStdinEnd() {
  return new Promise((resolve) => {
    process.stdin.on('data', () => {});
    process.stdin.on('end', resolve);
    process.stdin.resume();
  });
}

(async () => {
  const client = createClient({
    socket: { host: '127.0.0.1', port, reconnectStrategy: false, connectTimeout: 10000 },
    name: 'node-redis-check',
  });
  client.on('error', (e) => errors.push(String(e)));
  await client.connect();

  const result = {};
  result.ping = await client.ping();
  result.pingMessage = await client.ping('hi there');
  result.echo = await client.echo('h\u00e9llo \r\n world');
  result.id = await client.clientId();
  result.name = await client.clientGetName();
  result.setName = await client.clientSetName('renamed-by-node');
  result.nameAfter = await client.clientGetName();
  result.select = String(await client.select(2));
  result.configGet = await client.configGet('maxclients');
  result.infoHasVersion = (await client.info('server')).includes('redis_version:');
  const time = await client.time();
  result.time = Array.isArray(time) ? `array of ${time.length}` : Object.prototype.toString.call(time);
  result.clientInfo = await client.sendCommand(['CLIENT', 'INFO']);
  result.unknown = await client.sendCommand(['NOSUCH', 'x']).then((r) => `no error: ${r}`, (e) => String(e.message));
  const echoes = await Promise.all(Array.from({ length: 100 }, (_, i) => client.echo(`pipelined-${i}`)));
  result.pipelineOk = echoes.every((value, i) => value === `pipelined-${i}`);
  result.pipelineCount = echoes.length;
  result.hello = await client.sendCommand(['HELLO', '3']);
  result.errors = errors;
  console.log(JSON.stringify(result));

  await waitForStdinEnd();
  await client.close();
  console.log(JSON.stringify({ closed: true, isOpen: client.isOpen, errors }));
})().catch((e) => {
  console.log(JSON.stringify({ failed: String(e && e.stack ? e.stack : e), errors }));
  process.exit(1);
});
