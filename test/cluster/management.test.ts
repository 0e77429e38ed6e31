import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManagementClient, ManagementError } from '../../src/cluster/management.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A stand-in for the management API: records requests, answers with the handler. */
async function fakeApi(handler: Handler): Promise<{ url: string; server: Server; seen: { method: string; url: string; auth: string; body: string }[] }> {
  const seen: { method: string; url: string; auth: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

const json = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

test('overview, nodes and queues are mapped to typed results with basic auth', async (t) => {
  const api = await fakeApi((req, _body, res) => {
    if (req.url === '/api/overview') return json(res, 200, { rabbitmq_version: '3.10.8', erlang_version: '25.2.3', cluster_name: 'c1', node: 'a@localhost', extra: 1 });
    if (req.url === '/api/nodes')
      return json(res, 200, [
        { name: 'a@localhost', type: 'disc', running: true, mem_alarm: false, disk_free_alarm: false, mem_used: 123 },
        { name: 'b@localhost', type: 'ram', running: false },
      ]);
    if (req.url === '/api/queues/%2F/q%201')
      return json(res, 200, { name: 'q 1', vhost: '/', type: 'quorum', leader: 'a@localhost', members: ['a@localhost', 'b@localhost'], online: ['a@localhost'], messages: 5 });
    if (req.url === '/api/queues/%2F')
      return json(res, 200, [{ name: 'c', vhost: '/', type: 'classic', node: 'a@localhost', slave_nodes: ['b@localhost'], synchronised_slave_nodes: [], messages: 2 }]);
    return json(res, 404, { error: 'Object Not Found' });
  });
  t.after(() => api.server.close());
  const client = new ManagementClient({ baseUrl: api.url });
  assert.deepEqual(await client.overview(), { rabbitmq_version: '3.10.8', erlang_version: '25.2.3', cluster_name: 'c1', node: 'a@localhost' });
  assert.equal(api.seen[0]?.auth, `Basic ${Buffer.from('guest:guest').toString('base64')}`);
  assert.deepEqual(await client.nodes(), [
    { name: 'a@localhost', type: 'disc', running: true, mem_alarm: false, disk_free_alarm: false, mem_used: 123 },
    { name: 'b@localhost', type: 'ram', running: false, mem_alarm: false, disk_free_alarm: false, mem_used: 0 },
  ]);
  assert.deepEqual(await client.queue('/', 'q 1'), {
    name: 'q 1', vhost: '/', type: 'quorum', leader: 'a@localhost', members: ['a@localhost', 'b@localhost'], online: ['a@localhost'], messages: 5,
  });
  assert.deepEqual(await client.queues('/'), [
    { name: 'c', vhost: '/', type: 'classic', leader: 'a@localhost', members: ['a@localhost', 'b@localhost'], online: ['a@localhost'], messages: 2 },
  ]);
});

test('errors name the URL with the password masked, and the HTTP status', async (t) => {
  const api = await fakeApi((_req, _body, res) => json(res, 401, { error: 'not_authorised' }));
  t.after(() => api.server.close());
  const base = api.url.replace('http://', 'http://admin:s3cret@');
  const client = new ManagementClient({ baseUrl: base });
  await assert.rejects(client.overview(), (err: unknown) => {
    assert.ok(err instanceof ManagementError);
    assert.equal(err.status, 401);
    assert.match(err.message, /GET http:\/\/admin:\*\*\*@127\.0\.0\.1:\d+\/api\/overview failed: HTTP 401/);
    assert.doesNotMatch(err.message, /s3cret/);
    return true;
  });
  // Credentials from the URL travel in the header, not the URL.
  assert.equal(api.seen[0]?.auth, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
});

test('requests time out and connection errors are reported', async (t) => {
  const api = await fakeApi(() => undefined); // never answers
  t.after(() => {
    api.server.closeAllConnections();
    api.server.close();
  });
  const slow = new ManagementClient({ baseUrl: api.url, timeoutMs: 200 });
  await assert.rejects(slow.nodes(), /GET http:\/\/guest:\*\*\*@127\.0\.0\.1:\d+\/api\/nodes failed: timed out after 200 ms/);
  // A port that was just free: nothing listens there (fetch refuses "bad ports" like 1).
  const closed = await fakeApi(() => undefined);
  await new Promise((r) => closed.server.close(r));
  const refused = new ManagementClient({ baseUrl: closed.url });
  await assert.rejects(refused.overview(), (err: unknown) => err instanceof ManagementError && err.status === undefined && /ECONNREFUSED/.test(err.message));
});

test('putPolicy sends the definition; deletePolicy tolerates 404', async (t) => {
  const api = await fakeApi((req, _body, res) => {
    if (req.method === 'PUT') return void res.writeHead(201).end();
    return json(res, 404, { error: 'Object Not Found' });
  });
  t.after(() => api.server.close());
  const client = new ManagementClient({ baseUrl: api.url });
  await client.putPolicy('/', 'ha-all', { pattern: '^ha\\.', definition: { 'ha-mode': 'all' }, 'apply-to': 'queues' });
  assert.equal(api.seen[0]?.method, 'PUT');
  assert.equal(api.seen[0]?.url, '/api/policies/%2F/ha-all');
  assert.deepEqual(JSON.parse(api.seen[0]?.body ?? ''), { pattern: '^ha\\.', definition: { 'ha-mode': 'all' }, 'apply-to': 'queues' });
  await client.deletePolicy('/', 'missing');
  assert.equal(api.seen[1]?.method, 'DELETE');
});
