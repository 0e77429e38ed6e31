import { z } from 'zod';

const pem = (what: string): z.ZodOptional<z.ZodString> =>
  z
    .string()
    .min(1)
    .optional()
    .meta({ description: `${what}: a PEM file path (relative to the working directory), or the PEM text itself (e.g. "\${RABBITMQ_CA_PEM}").` });

/** TLS for amqps:// URIs and https:// management URLs: one schema for broker.tls and cluster.tls. */
export const tlsSchema = z
  .object({
    ca: pem('CA certificate(s) the server certificate must chain to; default: Node\'s public CAs'),
    cert: pem('Client certificate, for brokers that verify clients (ssl_options.verify = verify_peer)'),
    key: pem('Private key of the client certificate'),
    passphrase: z.string().optional().meta({ description: 'Passphrase of an encrypted key, e.g. "${RABBITMQ_KEY_PASSPHRASE}".' }),
    servername: z.string().min(1).optional().meta({ description: 'Host name the server certificate must name (SNI), when the URI\'s host is not in it, e.g. an IP address.' }),
    rejectUnauthorized: z
      .boolean()
      .default(true)
      .meta({ description: 'false accepts any server certificate (no protection against impersonation): for throwaway test brokers only.' }),
  })
  .strict()
  .meta({ description: 'TLS settings for amqps:// URIs and https:// management URLs (the same CA is used for both).' });

export type TlsConfig = z.output<typeof tlsSchema>;
