import type { StackValidationPolicy } from "@pulumi/policy";
import { pricesAsOf } from "../../stacks/gpu-prices";
import { formatUsd as usd, worstCaseGpuSpend } from "../cost";

export interface GpuBudgetConfig {
  monthlyBudgetUsd: number;
}

export const gpuSpendWithinBudget: StackValidationPolicy = {
  name: "gpu-spend-within-budget",
  description: `The stack's worst-case monthly GPU spend (every pool at its bound for 730 h, on-demand list prices of ${pricesAsOf}) stays under its budget.`,
  enforcementLevel: "mandatory",
  configSchema: { properties: { monthlyBudgetUsd: { type: "number", minimum: 0, default: 20000 } } },
  validateStack: (args, reportViolation) => {
    const { monthlyBudgetUsd } = args.getConfig<GpuBudgetConfig>();
    const spend = worstCaseGpuSpend(args.resources);
    for (const capacity of spend.unpriced) {
      reportViolation(`${capacity.resource.type} "${capacity.resource.name}" starts ${capacity.machines.join(", ")}, which the price table (stacks/gpu-prices.ts) lacks, so the budget cannot be checked; add its price.`, capacity.resource.urn);
    }
    if (spend.usdPerMonth > monthlyBudgetUsd) {
      const parts = spend.lines.map((l) => `${l.capacity.resource.name}: ${l.gpus} × ${l.model} at ${l.usdPerGpuHour.toFixed(2)} $/h = ${usd(l.usdPerMonth)}`).join("; ");
      reportViolation(`Worst-case GPU spend is ${usd(spend.usdPerMonth)} a month in ${spend.region ?? "the stack's region"}, above the budget of ${usd(monthlyBudgetUsd)} (${parts}); lower the pools' maxGpus or raise gpu-spend-within-budget.monthlyBudgetUsd.`);
    }
  },
};
