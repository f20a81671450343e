import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AdmissionPolicySpec, teamNamespaceLabel, validationActions } from "../../policy/admission";

export interface AdmissionPoliciesArgs {
  readonly policies: readonly AdmissionPolicySpec[];
  readonly provider: k8s.Provider;
}

/**
 * The pack's rules enforced by the API server itself (ValidatingAdmissionPolicy, GA since 1.30):
 * no webhook to run or to take the API down, and a binding per policy that scopes it and sets its
 * mode: Deny, or Warn and Audit where the environment's pack config says so.
 */
export class AdmissionPolicies extends pulumi.ComponentResource {
  constructor(name: string, args: AdmissionPoliciesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:admission:AdmissionPolicies", name, {}, opts);
    const onCluster = { parent: this, provider: args.provider };
    for (const spec of args.policies) {
      const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-${spec.name}`, {
        metadata: { name: spec.name, annotations: { "gpu-platform.io/mirrors": spec.mirrors } },
        spec: {
          // An expression that cannot be evaluated refuses rather than lets through.
          failurePolicy: "Fail",
          matchConstraints: { resourceRules: spec.resources.map((rule) => ({ ...rule, operations: ["CREATE", "UPDATE"] })) },
          variables: spec.variables.map((variable) => ({ ...variable })),
          validations: spec.validations.map((validation) => ({ ...validation, reason: "Forbidden" })),
        },
      }, onCluster);
      new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-${spec.name}`, {
        metadata: { name: spec.name },
        spec: {
          policyName: spec.name,
          validationActions: validationActions(spec.mode),
          matchResources: {
            namespaceSelector: "teamsOnly" in spec.namespaces
              ? { matchExpressions: [{ key: teamNamespaceLabel, operator: "Exists" }] }
              : { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...spec.namespaces.except] }] },
          },
        },
      }, { ...onCluster, dependsOn: [policy] });
    }
    this.registerOutputs({});
  }
}
