import type { ResourceValidationPolicy } from "@pulumi/policy";
import { admissionModeSchema, asList, asRecord, propsOf } from "../support";

export interface ImageRegistriesConfig {
  allowedRegistries: string[];
}

/** Registries the pinned charts pull from: Kubernetes, AWS, NVIDIA, GitHub, Quay, and the projects' Docker Hub organisations. */
export const defaultAllowedRegistries = [
  "registry.k8s.io", "public.ecr.aws", "nvcr.io", "ghcr.io", "quay.io",
  "docker.io/kserve", "docker.io/vllm", "docker.io/grafana", "docker.io/bitnami", "docker.io/library",
];

/** `vllm/vllm-openai` → `docker.io/vllm/vllm-openai`: Docker's default registry made explicit. */
export function qualifiedImage(image: string): string {
  const first = image.split("/")[0];
  if (!image.includes("/")) return `docker.io/library/${image}`;
  return first.includes(".") || first.includes(":") || first === "localhost" ? image : `docker.io/${image}`;
}

/** Image references in Helm values: `image: repo/name`, or `{ registry?, repository, tag }`. */
export function imagesInValues(values: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    if (typeof obj.image === "string" && obj.image.includes("/")) found.push(obj.image);
    if (typeof obj.repository === "string" && typeof obj.tag === "string" && !/^(https?|oci):\/\//.test(obj.repository)) {
      found.push(typeof obj.registry === "string" ? `${obj.registry}/${obj.repository}` : obj.repository);
    }
    Object.values(obj).forEach(visit);
  };
  visit(values);
  return found;
}

/** Images of the containers in a Kubernetes workload's pod template (or a bare Pod). */
function imagesInPodSpec(props: Record<string, unknown>): string[] {
  const spec = asRecord(props.spec);
  const pod = props.kind === "Pod" ? spec : asRecord(asRecord(spec.template).spec);
  return [...asList(pod.containers), ...asList(pod.initContainers)].map((c) => String(asRecord(c).image ?? "")).filter((i) => i.length > 0);
}

export const containerImagesFromApprovedRegistries: ResourceValidationPolicy = {
  name: "container-images-from-approved-registries",
  description: "Container images the stack sets come from approved registries (upstream or the organisation's mirror).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { ...admissionModeSchema, allowedRegistries: { type: "array", items: { type: "string" }, default: defaultAllowedRegistries } } },
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    const images = args.type === "kubernetes:helm.sh/v3:Release" ? imagesInValues(props.values)
      : args.type.startsWith("kubernetes:") ? imagesInPodSpec(props) : [];
    const { allowedRegistries } = args.getConfig<ImageRegistriesConfig>();
    for (const image of images) {
      const qualified = qualifiedImage(image);
      if (!allowedRegistries.some((registry) => qualified.startsWith(`${registry.replace(/\/$/, "")}/`))) {
        reportViolation(`${args.type} "${args.name}" uses image ${image} (${qualified}) from a registry that is not approved; approved: ${allowedRegistries.join(", ")}.`);
      }
    }
  },
};
