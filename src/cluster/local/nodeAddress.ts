/**
 * Distinct outgoing source addresses for the Erlang distribution of local nodes.
 *
 * Every node listens on 127.0.0.1, so a connection between two nodes could only be told apart by
 * port, and an outgoing connection uses an ephemeral one. Giving node i of the cluster on basePort
 * B its own source address 127.A.B'.(i+1) (A = B >> 8 & 255, B' = B & 255) lets iptables cut the
 * pair node1 ↔ node2 without touching anything else: node1 → node2 travels
 * 127.A.B'.1:ephemeral → 127.0.0.1:dist2, and node2's replies 127.0.0.1:dist2 → 127.A.B'.1.
 * All of 127.0.0.0/8 is on the loopback interface on Linux, so no address needs to be added.
 *
 * basePort ≥ 1024 makes A ≥ 4, so no node ever gets 127.0.0.1 (the listening address, which
 * rabbitmqctl also uses as its source); clusters on different basePorts never share an address.
 */
export function nodeSourceAddress(basePort: number, index: number): string {
  return `127.${(basePort >> 8) & 255}.${basePort & 255}.${index + 1}`;
}

/** The address as an Erlang tuple, e.g. {127,23,72,1}. */
export function erlangIp(address: string): string {
  return `{${address.split('.').join(',')}}`;
}

/**
 * Erlang VM arguments giving a node its source address. Kept free of spaces: rabbitmq-server
 * splits RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS on whitespace (with globbing off, `set -f`, so the
 * brackets arrive intact — checked with `ss -tnp`, see docs/faults.md).
 */
export function sourceAddressErlArgs(basePort: number, index: number): string {
  return `-kernel inet_dist_connect_options [{ip,${erlangIp(nodeSourceAddress(basePort, index))}}]`;
}
