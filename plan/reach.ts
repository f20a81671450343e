/**
 * `npm run --silent reach -- --stack NAME --from ADDRESS [--from ADDRESS]`: whether a machine with
 * these addresses (a CI runner's public egress and private address) may reach the stack's API,
 * before `pulumi up` spends twenty minutes finding out. Exits 1 with what to change when not.
 */
import * as path from "path";
import { cidrsOverlap } from "../lib/ipv4";
import { StackConfigError } from "../stacks/errors";
import { PlatformConfig, parseStackConfig } from "../stacks/load";
import { readStackFile } from "./stack-files";

export interface ReachVerdict {
  readonly admitted: boolean;
  readonly message: string;
}

const inside = (address: string, cidrs: readonly string[]) => cidrs.filter((cidr) => cidrsOverlap(`${address}/32`, cidr));

/** Whether any of `addresses` is admitted by the stack's API access settings, and through what. */
export function reachFrom(config: PlatformConfig, addresses: readonly string[]): ReachVerdict {
  const { publicCidrs, privateCidrs } = config.apiAccess;
  const label = `${config.stack} (${config.cloud})`;
  if (config.cloud === "gcp") return { admitted: true, message: `${label}: the DNS endpoint admits any network; Google credentials holding container.clusters.connect decide` };
  if (config.cloud === "existing") return { admitted: true, message: `${label}: reached through the stack's kubeconfig, whose network the platform does not manage` };
  for (const address of addresses) {
    const viaPublic = inside(address, publicCidrs);
    if (viaPublic.length > 0) return { admitted: true, message: `${label}: ${address} is admitted by the public endpoint (apiAccess.publicCidrs ${viaPublic.join(", ")})` };
    const viaPrivate = config.cloud === "aws" ? inside(address, privateCidrs) : [];
    if (viaPrivate.length > 0) return { admitted: true, message: `${label}: ${address} reaches the private endpoint (apiAccess.privateCidrs ${viaPrivate.join(", ")})` };
  }
  const allowed = [
    publicCidrs.length > 0 ? `apiAccess.publicCidrs ${publicCidrs.join(", ")}` : "",
    config.cloud === "aws" && privateCidrs.length > 0 ? `apiAccess.privateCidrs ${privateCidrs.join(", ")}` : "",
  ].filter(Boolean).join(" and ");
  return {
    admitted: false,
    message: `${label}: this runner (${addresses.join(", ") || "no address given"}) is outside ${allowed || "every network the API admits"}; ` +
      "run the job on the runners those networks describe, or add this runner's network to the stack's apiAccess",
  };
}

function main(argv: string[]): number {
  let stack = "dev";
  const addresses: string[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--stack") stack = value;
    else if (flag === "--from") addresses.push(...value.split(/[\s,]+/).filter((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a)));
    else throw new Error(`unknown argument ${flag}; usage: npm run --silent reach -- --stack NAME --from ADDRESS`);
  }
  const file = readStackFile(path.resolve(__dirname, ".."), stack);
  const verdict = reachFrom(parseStackConfig(stack, file.config), addresses);
  (verdict.admitted ? console.log : console.error)(verdict.message);
  return verdict.admitted ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof StackConfigError ? error.message : (error as Error).message);
    process.exit(2);
  }
}
