/**
 * Checks what the program writes against upstream data at the pinned versions
 * (../shared/reference): custom resources against their CRDs' schemas with unknown fields
 * rejected, as `kubectl apply --validate=strict` does, and Helm values against each chart's
 * default values.yaml, since Helm silently ignores a misspelt key.
 */
import type { ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { Schema, crdAjv as ajv, crdSchemas } from "../../plan/render/crd-schema";

export const referenceRoot = path.resolve(__dirname, "../../../shared/reference");

const schemas = new Map<string, Schema>();
const validators = new Map<string, ValidateFunction>();

function validatorFor(id: string): ValidateFunction | undefined {
  if (schemas.size === 0) loadCrds();
  const schema = schemas.get(id);
  if (schema && !validators.has(id)) validators.set(id, ajv.compile(schema));
  return validators.get(id);
}

function loadCrds(): void {
  const dir = path.join(referenceRoot, "crds");
  for (const file of fs.readdirSync(dir)) {
    // Argo CD's CRDs are Helm templates; their `{{ }}` lines are not YAML.
    const text = fs.readFileSync(path.join(dir, file), "utf8").split("\n").filter((line) => !line.includes("{{")).join("\n");
    for (const doc of parseAllDocuments(text)) {
      for (const [id, schema] of crdSchemas(doc.toJS())) schemas.set(id, schema);
    }
  }
}

const builtInGroups = ["apps", "batch", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "resource.k8s.io"];

/** Kubernetes' own kinds, which the API server validates; everything else comes from a CRD. */
export function isBuiltIn(apiVersion: string): boolean {
  return !apiVersion.includes("/") || builtInGroups.includes(apiVersion.split("/")[0]);
}

/** Problems with one custom resource, or [] when it is valid. Throws when no CRD is known for it. */
export function customResourceProblems(resource: { apiVersion: string; kind: string; [field: string]: unknown }): string[] {
  const validate = validatorFor(`${resource.apiVersion}/${resource.kind}`);
  if (!validate) throw new Error(`no reference CRD for ${resource.apiVersion} ${resource.kind}`);
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
}

/** A chart's default values, with any reference values files laid over them as `helm -f` would. */
export function chartDefaults(chart: string, overlays: readonly string[] = []): unknown {
  const read = (file: string) => parse(fs.readFileSync(path.join(referenceRoot, "charts", chart, file), "utf8")) as unknown;
  return overlays.reduce((merged, file) => mergeValues(merged, read(file)), read("values.yaml"));
}

function mergeValues(base: unknown, overlay: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isMap(base) || !isMap(overlay)) return overlay;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) merged[key] = key in base ? mergeValues(base[key], value) : value;
  return merged;
}

/**
 * Value paths the chart does not define. Maps the chart leaves empty, and maps keyed by label
 * names (`nodeSelector`), are free-form; lists are the user's own.
 */
export function unknownValueKeys(values: unknown, defaults: unknown, at = ""): string[] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  if (defaults === null || defaults === undefined) return [];
  if (typeof defaults !== "object" || Array.isArray(defaults)) return [];
  const known = defaults as Record<string, unknown>;
  const freeForm = Object.keys(known).length === 0 || Object.keys(known).some((key) => key.includes("/"));
  if (freeForm) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([key, value]) => {
    const where = at ? `${at}.${key}` : key;
    return key in known ? unknownValueKeys(value, known[key], where) : [where];
  });
}
