/**
 * CRD schemas as a strict validator: OpenAPI v3 as Kubernetes uses it, turned into JSON Schema that
 * rejects unknown fields the way `kubectl apply --validate=strict` does. The reference tests check
 * custom resources against ../shared/reference; the render check against the CRDs charts render.
 */
import Ajv from "ajv";

export type Schema = Record<string, unknown>;

/** OpenAPI v3 as Kubernetes uses it → JSON Schema that rejects unknown fields. */
function strictSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, strictSchema(v)]));
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      out[key] = typeof value === "object" && value !== null ? strictSchema(value as Schema) : value;
    } else if (key === "anyOf" || key === "allOf" || key === "oneOf") {
      out[key] = (value as Schema[]).map(strictSchema);
    } else {
      out[key] = value;
    }
  }
  if (schema["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  const openEnded = schema["x-kubernetes-preserve-unknown-fields"] === true || "additionalProperties" in schema;
  // An object without listed properties (metadata) is validated by the API server itself.
  if (out.type === "object" && "properties" in schema && !openEnded) out.additionalProperties = false;
  return out;
}

/** Go regular expressions may switch on `(?i)` (at the start or after `^`); JavaScript spells that as a flag. */
const goRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const insensitive = /^\^?\(\?i\)/.test(pattern);
    return insensitive ? new RegExp(pattern.replace("(?i)", ""), `${flags}i`) : new RegExp(pattern, flags);
  },
  { code: "new RegExp" },
);
export const crdAjv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
/** `group/version/Kind` → strict schema, for every version a CRD document serves. */
export function crdSchemas(document: unknown): [string, Schema][] {
  const crd = document as { kind?: string; spec?: { group: string; names: { kind: string }; versions?: { name: string; schema?: { openAPIV3Schema: Schema } }[] } } | null;
  if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) return [];
  return (crd.spec.versions ?? []).filter((v) => v.schema).map((v) => [`${crd.spec!.group}/${v.name}/${crd.spec!.names.kind}`, strictSchema(v.schema!.openAPIV3Schema)]);
}

/** Problems with one custom resource against a schema, or [] when it is valid. */
export function schemaProblems(schema: Schema, resource: unknown): string[] {
  const validate = crdAjv.compile(schema);
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
}
