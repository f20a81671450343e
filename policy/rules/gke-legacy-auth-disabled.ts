import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, propsOf } from "../support";

export const gkeLegacyAuthDisabled: ResourceValidationPolicy = {
  name: "gke-legacy-auth-disabled",
  description: "GKE clusters use RBAC only: no legacy ABAC, no client certificates, no basic auth.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "gcp:container/cluster:Cluster") return;
    const props = propsOf(args);
    if (props.enableLegacyAbac === true) reportViolation(`GKE cluster "${args.name}" has legacy ABAC on; remove enableLegacyAbac.`);
    const auth = asRecord(props.masterAuth);
    if (asRecord(auth.clientCertificateConfig).issueClientCertificate === true) reportViolation(`GKE cluster "${args.name}" issues a client certificate; set masterAuth.clientCertificateConfig.issueClientCertificate: false.`);
    if (auth.username || auth.password) reportViolation(`GKE cluster "${args.name}" has basic auth; remove masterAuth username and password.`);
  },
};
