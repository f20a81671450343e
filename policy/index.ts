/**
 * The CrossGuard pack: `pulumi preview --policy-pack ./policy [--policy-pack-config policy/config/<env>.json]`.
 * Only assembles the rules; constructing a PolicyPack starts the analyzer server, so tests and the
 * offline plan import policies.ts instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("gpu-platform", {
  enforcementLevel: "mandatory",
  description: "Quotas, security, cost and data-sovereignty guard rails for the GPU inference platform.",
  policies,
});
