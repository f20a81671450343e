import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, propsOf } from "../support";

export const clusterSecretsEncrypted: ResourceValidationPolicy = {
  name: "cluster-secrets-encrypted",
  description: "Kubernetes secrets are envelope-encrypted with a key the stack owns (EKS, GKE); AKS encrypts etcd at rest with platform keys.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    if (args.type === "eks:index:Cluster" && !props.encryptionConfigKeyArn) {
      reportViolation(`EKS cluster "${args.name}" does not encrypt secrets with a KMS key; set encryptionConfigKeyArn.`);
    }
    if (args.type === "gcp:container/cluster:Cluster") {
      const encryption = asRecord(props.databaseEncryption);
      if (encryption.state !== "ENCRYPTED" || !encryption.keyName) {
        reportViolation(`GKE cluster "${args.name}" does not encrypt secrets with a Cloud KMS key; set databaseEncryption { state: ENCRYPTED, keyName }.`);
      }
    }
  },
};
