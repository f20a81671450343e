import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, propsOf } from "../support";

export const aksLocalAccountsDisabled: ResourceValidationPolicy = {
  name: "aks-local-accounts-disabled",
  description: "AKS clusters accept Entra ID identities only, authorised by Azure RBAC: no local admin kubeconfig.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "azure-native:containerservice:ManagedCluster") return;
    const props = propsOf(args);
    if (props.disableLocalAccounts !== true) reportViolation(`AKS cluster "${args.name}" keeps local accounts, whose admin kubeconfig bypasses Entra ID; set disableLocalAccounts: true.`);
    const aad = asRecord(props.aadProfile);
    if (aad.managed !== true || aad.enableAzureRBAC !== true) reportViolation(`AKS cluster "${args.name}" does not authorise through Entra ID and Azure RBAC; set aadProfile { managed: true, enableAzureRBAC: true }.`);
  },
};
