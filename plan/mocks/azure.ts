import { CloudMock } from "./cloud";

/** Azure as the offline plan imagines it. */
export function azureMock(_region: string): CloudMock {
  return {};
}
