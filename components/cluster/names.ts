import { createHash } from "crypto";

/** What Pulumi's auto-naming appends to a logical name: a hyphen and seven random characters. */
const autonameSuffix = 8;

/**
 * A logical name whose auto-named cloud name fits `limit` characters (S3 and Cloud Storage
 * buckets 63, IAM roles 64): kept as it is when short enough, otherwise cut, with a digest of the
 * whole so two long names never meet.
 */
export function fittedName(name: string, limit: number): string {
  const room = limit - autonameSuffix;
  if (name.length <= room) return name;
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, room - digest.length - 1).replace(/-+$/, "")}-${digest}`;
}
