import { createHash } from "crypto";

export const mockAccountId = "123456789012";

/** A short stable digest, so ids and names repeat exactly between two plans of one config. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 17);
}

/** What the offline plan imagines one cloud returns: extra state for new resources, data-source answers. */
export interface CloudMock {
  /** Outputs beyond the inputs for a resource of this cloud, or undefined when it has none. */
  state?(type: string, name: string, inputs: Record<string, unknown>, physicalName: string): Record<string, unknown> | undefined;
  /** The answer to a data source call, or undefined when the token is not this cloud's. */
  call?(token: string, args: Record<string, unknown>): Record<string, unknown> | undefined;
  /** A resource id, when the cloud's ids have a documented shape that something validates. */
  id?(type: string, name: string, inputs: Record<string, unknown>): string | undefined;
}
