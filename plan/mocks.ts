/**
 * The cloud as the offline plan imagines it: every resource is created with its inputs as its
 * state, plus the outputs the program reads (ids, ARNs, the cluster's kubeconfig). Values are
 * deterministic, so two plans of the same config are identical and can be diffed. Each cloud's
 * answers live in plan/mocks/<cloud>.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { awsMock } from "./mocks/aws";
import { azureMock } from "./mocks/azure";
import { CloudMock, shortHash } from "./mocks/cloud";
import { gcpMock } from "./mocks/gcp";

export { mockAccountId } from "./mocks/cloud";

export class PlanMocks implements pulumi.runtime.Mocks {
  private readonly clouds: CloudMock[];

  constructor(region: string) {
    this.clouds = [awsMock(region), gcpMock(region), azureMock(region)];
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const { type, name, inputs } = args;
    const physicalName = (inputs.name as string | undefined) ?? name;
    const id = this.clouds.map((cloud) => cloud.id?.(type, name, inputs)).find((found) => found !== undefined) ?? `${name}-id`;
    const state: Record<string, unknown> = { ...inputs, name: physicalName };
    for (const cloud of this.clouds) Object.assign(state, cloud.state?.(type, name, inputs, physicalName));
    if (type === "random:index/randomPassword:RandomPassword") {
      // Stand-ins with the real shapes; the plan prints secrets redacted either way.
      const length = Number(inputs.length ?? 16);
      state.result = shortHash(name).padEnd(length, "x").slice(0, length);
      state.bcryptHash = `$2a$10$${shortHash(`${name}-bcrypt`).padEnd(53, "x")}`;
    }
    if (type === "tls:index/privateKey:PrivateKey") state.privateKeyPem = `-----BEGIN PRIVATE KEY-----\n(offline plan: ${name})\n-----END PRIVATE KEY-----\n`;
    if (type === "tls:index/selfSignedCert:SelfSignedCert") state.certPem = `-----BEGIN CERTIFICATE-----\n(offline plan: ${name})\n-----END CERTIFICATE-----\n`;
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    for (const cloud of this.clouds) {
      const answer = cloud.call?.(args.token, args.inputs);
      if (answer !== undefined) return answer;
    }
    throw new Error(`the offline plan has no answer for the data source ${args.token}; add one to plan/mocks/`);
  }
}
