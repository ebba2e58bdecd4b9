/**
 * The `MailServer` document (docs/events.md): where EventActions' mails go, either an SMTP server or
 * a pickup folder into which each mail is written as an .eml file (for a local mail relay, or to
 * look at the mails while setting up). Which keys belong to which transport is checked by
 * mail-server-checks.ts, where the message can name the transport.
 *
 * @example
 * kind: MailServer
 * name: corp_mail
 * host: smtp.example.org
 * user: provisio
 * password: ${env:SMTP_PASSWORD}
 * from: Provisio <provisio@example.org>
 */
import { z } from 'zod'
import { durationSchema } from '../core/index.ts'

/** A whole `kind: MailServer` document. Objects are strict: unknown keys are errors. */
export const mailServerSchema = z.strictObject({
  kind: z.literal('MailServer'),
  name: z.string(),
  description: z.string().optional(),
  /** `smtp`: send through `host:port`. `pickup`: write .eml files into `directory`. @default smtp */
  transport: z.enum(['smtp', 'pickup']).optional(),
  /** smtp: the server's host name or address. */
  host: z.string().min(1).optional(),
  /** smtp: @default 587 for starttls, 465 for tls, 25 for none */
  port: z.number().int().min(1).max(65535).optional(),
  /** smtp: `tls` (TLS from the start), `starttls` (upgrade required) or `none` (loopback only). @default starttls */
  security: z.enum(['tls', 'starttls', 'none']).optional(),
  /** smtp: the user to log in as. */
  user: z.string().min(1).optional(),
  /** smtp: a `${env:NAME}` reference; needs `user`. */
  password: z.string().min(1).optional(),
  /** smtp: a PEM file, relative to the project folder, to trust for the server's certificate. */
  ca: z.string().min(1).optional(),
  /** pickup: the folder for the .eml files, relative to the project folder. */
  directory: z.string().min(1).optional(),
  /** The sender: `provisio@example.org` or `Provisio <provisio@example.org>`. */
  from: z.string().min(1),
  /** How long connecting or sending may take. @default 30s */
  timeout: durationSchema.optional(),
})

/** A MailServer document as written, after the schema has checked its shape. */
export type MailServerDocument = z.output<typeof mailServerSchema>
