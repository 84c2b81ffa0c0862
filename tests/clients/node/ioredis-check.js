// Drives the server with ioredis 6 (HELLO 3 and CLIENT SETINFO on connect, INFO for its ready check). Run by tests/EndToEnd.Tests:
// `node ioredis-check.js <port>`. Prints one JSON line of results, then waits for stdin to close
// before QUIT, so the test can look at the connection from another one (CLIENT LIST). Prints a
// second JSON line once closed.
'use strict';
const Redis = require('ioredis');

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
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableReadyCheck: true,
    connectionName: 'ioredis-check',
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', (e) => errors.push(String(e)));
  await redis.connect();

  const result = {};
  result.status = redis.status;
  result.ping = await redis.ping();
  result.pingMessage = await redis.ping('hi there');
  result.echo = await redis.echo('h\u00e9llo \r\n world');
  result.nameFromOptions = await redis.client('GETNAME');
  result.setName = await redis.client('SETNAME', 'renamed-by-ioredis');
  result.name = await redis.client('GETNAME');
  result.id = await redis.client('ID');
  result.select = await redis.select(3);
  result.config = await redis.config('GET', 'timeout');
  result.info = (await redis.info('clients')).includes('connected_clients:');
  const pipeline = redis.pipeline();
  for (let i = 0; i < 100; i++) {
    pipeline.ping();
    pipeline.echo(`p${i}`);
  }
  const replies = await pipeline.exec();
  result.pipelineCount = replies.length;
  result.pipelineOk = replies.every(([error, value], i) => error === null && value === (i % 2 === 0 ? 'PONG' : `p${(i - 1) / 2}`));
  result.unknown = await redis.call('NOSUCH', 'x').then((r) => `no error: ${r}`, (e) => String(e.message));
  result.bufferEcho = (await redis.echoBuffer(Buffer.from([0, 255, 13, 10]))).toString('hex');
  result.errors = errors;
  console.log(JSON.stringify(result));

  await waitForStdinEnd();
  result.quit = await redis.quit();
  await new Promise((resolve) => (redis.status === 'end' ? resolve() : redis.once('end', resolve)));
  console.log(JSON.stringify({ closed: true, quit: result.quit, status: redis.status, errors }));
})().catch((e) => {
  console.log(JSON.stringify({ failed: String(e && e.stack ? e.stack : e), errors }));
  process.exit(1);
});
