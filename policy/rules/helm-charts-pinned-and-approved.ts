import type { ResourceValidationPolicy } from "@pulumi/policy";
import { charts } from "../../components/versions";
import { asRecord, propsOf } from "../support";

export interface HelmChartsConfig {
  allowedRepositories: string[];
}

/** The repositories the platform's own charts come from (components/versions.ts). */
export const platformChartRepositories = [...new Set(Object.values(charts).map((chart) => chart.repository))];

/** Where a release's chart comes from: the OCI reference without the chart name, or the classic repository. */
export function chartRepository(props: Record<string, unknown>): string | undefined {
  const chart = String(props.chart ?? "");
  if (chart.startsWith("oci://")) return chart.slice(0, chart.lastIndexOf("/"));
  const repo = asRecord(props.repositoryOpts).repo;
  return typeof repo === "string" ? repo : undefined;
}

const exactVersion = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export const helmChartsPinnedAndApproved: ResourceValidationPolicy = {
  name: "helm-charts-pinned-and-approved",
  description: "Every Helm chart is pinned to an exact version and comes from an approved repository (the upstream ones, or the organisation's mirrors).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowedRepositories: { type: "array", items: { type: "string" }, default: platformChartRepositories } } },
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:helm.sh/v3:Release" && args.type !== "kubernetes:helm.sh/v4:Chart") return;
    const props = propsOf(args);
    const release = String(props.name ?? args.name);
    const version = props.version;
    if (typeof version !== "string" || !exactVersion.test(version)) {
      reportViolation(`Helm release "${release}" is not pinned to an exact chart version (version: ${JSON.stringify(version)}); pin it in components/versions.ts.`);
    }
    const repository = chartRepository(props);
    const { allowedRepositories } = args.getConfig<HelmChartsConfig>();
    if (!repository || !allowedRepositories.some((allowed) => repository.replace(/\/$/, "") === allowed.replace(/\/$/, ""))) {
      reportViolation(`Helm release "${release}" comes from ${repository ?? "an unknown repository"}, which is not approved; approved: ${allowedRepositories.join(", ")}. Add a mirror to helm-charts-pinned-and-approved.allowedRepositories.`);
    }
  },
};
