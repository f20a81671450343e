import { parse } from "yaml";

interface ExecUser {
  name: string;
  user: { exec?: { command?: string; args?: string[]; [field: string]: unknown }; [field: string]: unknown };
}

interface Kubeconfig {
  users?: ExecUser[];
  [field: string]: unknown;
}

const execApiVersion = "client.authentication.k8s.io/v1beta1";
const installHint = "kubelogin turns your Azure CLI sign-in into a token for this cluster: https://azure.github.io/kubelogin/";

/** The value after `flag` in an exec argument list. */
function argument(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/**
 * AKS with Entra ID and no local accounts hands out only kubeconfigs that call kubelogin, and by
 * default ask for a device-code sign-in, which a non-interactive `pulumi up` cannot answer. This
 * rewrites each user to `kubelogin get-token --login azurecli`, as `kubelogin convert-kubeconfig
 * -l azurecli` does: the token comes from the Azure CLI session that runs Pulumi, for the AKS
 * server application the kubeconfig names (`--server-id`). Returns JSON, which is valid YAML.
 */
export function azureCliKubeconfig(text: string): string {
  const config = parse(text) as Kubeconfig;
  const users = config.users ?? [];
  if (users.length === 0) throw new Error("the kubeconfig AKS returned has no users to authenticate");
  for (const user of users) {
    const serverId = argument(user.user.exec?.args ?? [], "--server-id");
    if (user.user.exec === undefined || serverId === undefined) {
      throw new Error(`the kubeconfig AKS returned authenticates user "${user.name}" without kubelogin --server-id; ask for format "exec"`);
    }
    user.user = {
      exec: {
        apiVersion: execApiVersion,
        command: "kubelogin",
        args: ["get-token", "--login", "azurecli", "--server-id", serverId],
        env: null,
        installHint,
        provideClusterInfo: false,
      },
    };
  }
  return JSON.stringify(config);
}
