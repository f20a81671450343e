/**
 * Findings the platform cannot fix through a chart's values, each with why it is acceptable. The
 * render check reports them apart and does not fail on them; anything else fails.
 */
import type { Finding } from "./checks";

export interface AcceptedFinding {
  readonly release: string;
  readonly check: Finding["check"];
  readonly object: RegExp;
  /** Where one object has several findings, the one accepted. */
  readonly message?: RegExp;
  readonly why: string;
}

export const acceptedFindings: readonly AcceptedFinding[] = [
  {
    release: "gpu-operator",
    check: "requests",
    object: /^Job\/[^/]+\/gpu-operator-(upgrade-crd|cleanup-gpucluster)$/,
    why: "Helm hook Jobs that run for seconds at install, upgrade and delete; their templates (gpu-operator v26.7.0 templates/upgrade_crd.yaml, cleanup_gpucluster.yaml) take no resources value. They run on the system nodes (operator.nodeSelector).",
  },
  {
    release: "dra-driver-nvidia-gpu",
    check: "requests",
    object: /^DaemonSet\/[^/]+\/dra-driver-nvidia-gpu-kubelet-plugin$/,
    message: /^initContainer "init-container"/,
    why: "The kubelet plugin's init container (it waits for the driver, then exits) takes no resources value: dra-driver-nvidia-gpu v0.4.1 templates/kubeletplugin.yaml renders only its securityContext, though values.yaml lists kubeletPlugin.containers.init.resources. Init containers' requests count only while they run.",
  },
];

/** Splits findings into those to fix and those accepted, with the reason. */
export function triage(findings: readonly Finding[], accepted: readonly AcceptedFinding[] = acceptedFindings): { failing: Finding[]; accepted: (Finding & { why: string })[] } {
  const failing: Finding[] = [];
  const kept: (Finding & { why: string })[] = [];
  for (const finding of findings) {
    const match = accepted.find((a) => a.release === finding.release && a.check === finding.check && a.object.test(finding.object) && (a.message?.test(finding.message) ?? true));
    if (match) kept.push({ ...finding, why: match.why });
    else failing.push(finding);
  }
  return { failing, accepted: kept };
}
