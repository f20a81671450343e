import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { clusterAdminChecks, gateProvider } from "./api-access-probe";

export interface ApiAccessGateArgs {
  readonly kubeconfig: pulumi.Input<string>;
  readonly waitSeconds: number;
  readonly unreachableHint: string;
  readonly forbiddenHint: string;
  /** Who the deployer is, where the cloud grants access per identity (AKS): a new one is waited for anew. */
  readonly deployer?: pulumi.Input<string>;
}

/**
 * Holds every Kubernetes object back until the identity running `pulumi up` is cluster admin
 * through the kubeconfig, so a new cluster's access (a role assignment still propagating, a
 * network path that does not exist) fails once, early, with the setting to change, instead of
 * every Helm release failing on its own.
 */
export class ApiAccessGate extends pulumi.dynamic.Resource {
  constructor(name: string, args: ApiAccessGateArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(gateProvider, name, {
      kubeconfig: pulumi.secret(args.kubeconfig),
      checks: clusterAdminChecks,
      waitSeconds: args.waitSeconds,
      pollSeconds: 10,
      unreachableHint: args.unreachableHint,
      forbiddenHint: args.forbiddenHint,
      ...(args.deployer !== undefined ? { deployer: args.deployer } : {}),
    }, opts, "cluster", "ApiAccessGate");
  }
}

/** A Kubernetes provider that no object can use before the gate has seen admin access work. */
export function gatedProvider(name: string, args: ApiAccessGateArgs, opts: { parent: pulumi.Resource; dependsOn?: pulumi.Input<pulumi.Resource>[] }): k8s.Provider {
  const gate = new ApiAccessGate(`${name}-api-access`, args, { parent: opts.parent, dependsOn: opts.dependsOn });
  return new k8s.Provider(name, { kubeconfig: args.kubeconfig, enableServerSideApply: true }, { parent: opts.parent, dependsOn: [gate] });
}
