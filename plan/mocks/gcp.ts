import { CloudMock } from "./cloud";

/** Google Cloud as the offline plan imagines it. */
export function gcpMock(_region: string): CloudMock {
  return {};
}
