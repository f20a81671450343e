import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, propsOf } from "../support";

export const nodeMetadataProtected: ResourceValidationPolicy = {
  name: "node-metadata-protected",
  description: "Pods cannot read node credentials from the metadata service: IMDSv2 with a hop limit of 1 on AWS, the GKE metadata server on GKE.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    if (args.type === "aws:ec2/launchTemplate:LaunchTemplate") {
      const metadata = asRecord(props.metadataOptions);
      if (metadata.httpTokens !== "required" || Number(metadata.httpPutResponseHopLimit ?? 2) > 1) {
        reportViolation(`Launch template "${args.name}" allows IMDSv1 or more than one hop; set metadataOptions httpTokens: required, httpPutResponseHopLimit: 1.`);
      }
    }
    if (args.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass") {
      const metadata = asRecord(asRecord(props.spec).metadataOptions);
      if (metadata.httpTokens !== "required" || Number(metadata.httpPutResponseHopLimit ?? 1) > 1) {
        reportViolation(`EC2NodeClass "${args.name}" allows IMDSv1 or more than one hop; set spec.metadataOptions httpTokens: required, httpPutResponseHopLimit: 1.`);
      }
    }
    if (args.type === "gcp:container/nodePool:NodePool" || args.type === "gcp:container/cluster:Cluster") {
      const node = asRecord(props.nodeConfig);
      if (args.type === "gcp:container/cluster:Cluster" && props.nodeConfig === undefined) return;
      if (asRecord(node.workloadMetadataConfig).mode !== "GKE_METADATA") {
        reportViolation(`${args.type} "${args.name}" exposes the node's metadata to pods; set nodeConfig.workloadMetadataConfig.mode: GKE_METADATA.`);
      }
    }
  },
};
