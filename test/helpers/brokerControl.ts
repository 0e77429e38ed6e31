/**
 * Reaching into a real broker from tests, the way an operator would: force-close a client
 * connection through the management API (as `rabbitmqctl close_connection` does).
 */
interface ConnectionInfo {
  name: string;
  client_properties?: { connection_name?: string };
}

const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

/**
 * Closes the connection whose client-given name is `connectionName`. The management API lists a
 * new connection only after its next statistics emission (a few seconds), so it is polled.
 */
export async function closeConnection(managementUrl: string, connectionName: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${managementUrl}/api/connections`, { headers: { authorization: auth } });
    const list = (await res.json()) as ConnectionInfo[];
    const found = list.find((c) => c.client_properties?.connection_name === connectionName);
    if (found) {
      const del = await fetch(`${managementUrl}/api/connections/${encodeURIComponent(found.name)}`, {
        method: 'DELETE',
        headers: { authorization: auth, 'X-Reason': 'mqbench test: forced close' },
      });
      if (!del.ok && del.status !== 404) throw new Error(`DELETE connection ${found.name}: HTTP ${del.status}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`no connection named ${connectionName} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Names (client-provided connection_name) of the connections the broker has open now. */
export async function connectionNames(managementUrl: string): Promise<string[]> {
  const res = await fetch(`${managementUrl}/api/connections`, { headers: { authorization: auth } });
  const list = (await res.json()) as ConnectionInfo[];
  return list.map((c) => c.client_properties?.connection_name ?? '');
}
