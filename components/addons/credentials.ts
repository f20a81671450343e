import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformConfig } from "../../stacks/load";

/**
 * Admin passwords for the add-on UIs, generated once and kept in the stack's encrypted state.
 * Nothing is typed by a person or committed; `pulumi stack output --show-secrets` reveals them.
 */
export class AddonCredentials extends pulumi.ComponentResource {
  /** Grafana's `admin` password, when monitoring is installed. */
  readonly grafanaAdminPassword?: pulumi.Output<string>;
  /** Argo CD's `admin` password and the bcrypt hash Argo CD stores, when Argo CD is installed. */
  readonly argocdAdmin?: { password: pulumi.Output<string>; bcryptHash: pulumi.Output<string> };
  /** The seed the AI Gateway derives its MCP session keys from, when the gateway is installed. */
  readonly aiGatewaySessionSeed?: pulumi.Output<string>;

  constructor(name: string, args: { config: PlatformConfig }, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:AddonCredentials", name, {}, opts);
    const { addons } = args.config;
    // Letters and digits only: the password survives shells, URLs and YAML unquoted.
    const password = (part: string) => new random.RandomPassword(`${name}-${part}`, { length: 32, special: false }, { parent: this });
    if (addons.monitoring.enabled) {
      this.grafanaAdminPassword = pulumi.secret(password("grafana").result);
    }
    if (addons.argocd.enabled) {
      const argocd = password("argocd");
      this.argocdAdmin = { password: pulumi.secret(argocd.result), bcryptHash: pulumi.secret(argocd.bcryptHash) };
    }
    if (addons.gateway.enabled) {
      this.aiGatewaySessionSeed = pulumi.secret(password("ai-gateway-session-seed").result);
    }
    this.registerOutputs({});
  }
}
