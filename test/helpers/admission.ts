/**
 * Runs a ValidatingAdmissionPolicy's CEL the way the API server does: its variables in order
 * (each may read the ones before), then each validation, against an object as JSON. The evaluator
 * is @bufbuild/cel with the strings extension, which Kubernetes' CEL environment includes.
 */
import { run } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { AdmissionPolicySpec } from "../../policy/admission";

/** JSON as CEL sees it: objects are maps, whole numbers ints. */
function celValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === "object") return new Map(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return value;
}

/** The messages of the validations the object fails; [] when admitted. */
export function refusals(spec: AdmissionPolicySpec, object: Record<string, unknown>): string[] {
  const variables = new Map<string, unknown>();
  const bindings = () => ({ object: celValue(object), variables }) as never;
  for (const variable of spec.variables) variables.set(variable.name, run(variable.expression, bindings(), { funcs: strings }));
  return spec.validations.filter((validation) => {
    const result = run(validation.expression, bindings(), { funcs: strings });
    // An error is not a refusal: the API server would fail the request (failurePolicy) for another reason.
    if (typeof result !== "boolean") throw new Error(`${spec.name}: "${validation.expression}" did not evaluate to a bool: ${String(result)}`);
    return !result;
  }).map((validation) => validation.message);
}
