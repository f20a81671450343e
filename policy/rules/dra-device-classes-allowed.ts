import type { ResourceValidationPolicy } from "@pulumi/policy";
import { admissionModeSchema, asList, asRecord, globPattern, metadataOf, propsOf } from "../support";

interface DraDeviceConfig {
  /** DeviceClasses a stack may offer teams; `*` matches any run of characters. */
  allowedDeviceClasses: string[];
  /** The largest MIG slice offered, in compute slices (the `3` of `3g.40gb`); 7 is a whole GPU's. */
  largestMigSlice: number;
}

const matches = (pattern: string, name: string) => new RegExp(globPattern(pattern)).test(name);

/** `mig-3g-40gb.gpu-platform.io` or a CEL `profile == "3g.40gb"` → 3. */
function migSlices(text: string): number | undefined {
  const found = /(?:mig-|profile == ")(\d+)g[.-]/.exec(text);
  return found ? Number(found[1]) : undefined;
}

/**
 * What a stack offers through DRA: only the DeviceClasses the environment's config names, and MIG
 * slices no larger than it allows (in dev, small slices, so a test cannot hold a whole H100).
 */
export const draDeviceClassesAllowed: ResourceValidationPolicy = {
  name: "dra-device-classes-allowed",
  description: "DRA DeviceClasses and claim templates offer only the classes and MIG slice sizes the environment's pack config allows.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ...admissionModeSchema,
      allowedDeviceClasses: { type: "array", items: { type: "string" }, default: ["gpu.nvidia.com", "mig-*.gpu-platform.io", "gpu-min-*.gpu-platform.io"] },
      largestMigSlice: { type: "integer", minimum: 1, maximum: 7, default: 7 },
    },
  },
  validateResource: (args, reportViolation) => {
    const { allowedDeviceClasses, largestMigSlice } = args.getConfig<DraDeviceConfig>();
    const name = metadataOf(args).name ?? args.name;
    const check = (deviceClass: string, where: string) => {
      if (!allowedDeviceClasses.some((pattern) => matches(pattern, deviceClass))) {
        reportViolation(`${where} offers DeviceClass "${deviceClass}", which this environment does not allow; allowed: ${allowedDeviceClasses.join(", ")} (dra-device-classes-allowed.allowedDeviceClasses).`);
      }
      const slices = migSlices(deviceClass);
      if (slices !== undefined && slices > largestMigSlice) {
        reportViolation(`${where} offers a ${slices}g MIG slice; this environment allows at most ${largestMigSlice}g (dra-device-classes-allowed.largestMigSlice).`);
      }
    };
    if (args.type === "kubernetes:resource.k8s.io/v1:DeviceClass") check(String(name), `DeviceClass "${name}"`);
    if (args.type === "kubernetes:resource.k8s.io/v1:ResourceClaimTemplate") {
      const requests = asList(asRecord(asRecord(asRecord(asRecord(propsOf(args).spec).spec).devices)).requests);
      for (const request of requests.map(asRecord)) {
        const exactly = asRecord(request.exactly);
        if (exactly.deviceClassName !== undefined) check(String(exactly.deviceClassName), `ResourceClaimTemplate "${metadataOf(args).namespace}/${name}"`);
      }
    }
  },
};
