import { strict as assert } from "assert";
import { accessEntryKey, previousAdminEntry, teamGroup } from "../../../components/aws/access";
import { shortHash } from "../../../plan/mocks/cloud";
import { one, ofType, plan, prerequisites } from "../../helpers/plan";
import { stackSettings } from "../../helpers/settings";

const accessEntry = "aws:eks/accessEntry:AccessEntry";
const association = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const ingressRule = "aws:ec2/securityGroupRule:SecurityGroupRule";
const gateType = "pulumi-nodejs:dynamic/cluster:ApiAccessGate";
const admin = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const devTeams = stackSettings("dev").teams as { name: string; group: string }[];

describe("EKS access (aws)", () => {
  describe("how pulumi up reaches the API", () => {
    it("opens 443 on the control plane's own security group to each network connected to the VPC", async () => {
      const p = await plan("dev", { "gpu-platform:apiAccess": { privateCidrs: ["10.200.0.0/20", "192.168.10.0/24"] } });
      const rules = ofType(p, ingressRule);
      assert.deepEqual(rules.map((r) => r.inputs.cidrBlocks), [["10.200.0.0/20"], ["192.168.10.0/24"]]);
      // pulumi-eks' group sits on the control plane's interfaces only; the EKS-created one is on every node too.
      const controlPlaneSg = `sg-${shortHash("gpu-dev-pulumi")}`;
      for (const rule of rules) {
        assert.deepEqual([rule.inputs.type, rule.inputs.protocol, rule.inputs.fromPort, rule.inputs.toPort], ["ingress", "tcp", 443, 443]);
        assert.equal(rule.inputs.securityGroupId, controlPlaneSg);
        assert.notEqual(rule.inputs.securityGroupId, `sg-${shortHash("gpu-dev-eks")}`);
      }
      // The gate (and so every Kubernetes object) waits for the rules that make the path.
      const gate = one(p, gateType);
      for (const rule of rules) assert.ok(gate.dependencies.includes(rule.urn));
    });

    it("opens the security group to nothing when only public networks are listed", async () => {
      assert.equal(ofType(await plan("dev"), ingressRule).length, 0);
    });

    it("holds every Kubernetes object back behind the access gate", async () => {
      const p = await plan("dev");
      const gate = one(p, gateType);
      const before = prerequisites(p);
      const k8sObjects = p.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
      assert.ok(k8sObjects.length > 20);
      for (const r of k8sObjects) assert.ok(before(r).has(gate.urn), `${r.name} must wait for the access gate`);
      assert.equal(gate.inputs.kubeconfig, "[secret]");
      assert.equal(gate.inputs.waitSeconds, 300);
      assert.match(String(gate.inputs.unreachableHint), /apiAccess\.publicCidrs.*apiAccess\.privateCidrs/);
    });
  });

  describe("admins", () => {
    it("gives each admin role its own access entry with the cluster-admin policy", async () => {
      const p = await plan("dev", { "gpu-platform:eks": { adminRoleArns: [admin("platform-admin"), admin("break-glass")] } });
      const entries = ofType(p, accessEntry).filter((e) => e.name.includes("-admin-"));
      assert.deepEqual(entries.map((e) => e.inputs.principalArn), [admin("platform-admin"), admin("break-glass")]);
      const policies = ofType(p, association);
      assert.deepEqual(policies.map((a) => [a.inputs.principalArn, a.inputs.policyArn, (a.inputs.accessScope as { type: string }).type]), [
        [admin("platform-admin"), "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "cluster"],
        [admin("break-glass"), "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "cluster"],
      ]);
    });

    it("keeps every entry's identity when admins are reordered or one is removed, so nothing is replaced", async () => {
      const names = async (arns: string[]) => {
        const p = await plan("dev", { "gpu-platform:eks": { adminRoleArns: arns } });
        return new Map(ofType(p, accessEntry).filter((e) => e.name.includes("-admin-")).map((e) => [e.inputs.principalArn as string, e.urn]));
      };
      const first = await names([admin("a"), admin("b"), admin("c")]);
      const reordered = await names([admin("c"), admin("a"), admin("b")]);
      const removed = await names([admin("b"), admin("c")]);
      for (const arn of [admin("a"), admin("b"), admin("c")]) assert.equal(reordered.get(arn), first.get(arn));
      for (const arn of [admin("b"), admin("c")]) assert.equal(removed.get(arn), first.get(arn));
    });

    it("carries over a stack's existing entries, which pulumi-eks kept by position, instead of adding a second entry per role", async () => {
      // Aliases are not on the wire of a registration in the mock; the names they point at are.
      const previous = previousAdminEntry("gpu-dev-eks", 1);
      assert.deepEqual(previous, { entry: "gpu-dev-eks-admin-1", association: "gpu-dev-eks-admin-1-clusterAdmin" });
    });

    it("deletes a replaced entry before creating its successor, since EKS refuses a second entry for a principal", async () => {
      const p = await plan("dev", { "gpu-platform:eks": { adminRoleArns: [admin("a")] } });
      const ours = [...ofType(p, accessEntry).filter((e) => !e.name.endsWith("-karpenter-node")), ...ofType(p, association)];
      assert.equal(ours.length, 4);
      assert.ok(ours.every((r) => r.deleteBeforeReplace), "every admin and team entry is delete-before-replace");
      assert.match(accessEntryKey("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Admin_0a1b"), /^awsreservedsso-admin-0a1b-[0-9a-f]{8}$/);
    });
  });

  describe("teams", () => {
    it("maps each team's IAM role to the team's Kubernetes group, which its RoleBinding names", async () => {
      const p = await plan("dev");
      for (const team of devTeams) {
        const entry = ofType(p, accessEntry).find((e) => e.inputs.principalArn === team.group);
        assert.ok(entry, `an access entry for ${team.name}'s role`);
        assert.deepEqual(entry.inputs.kubernetesGroups, [teamGroup(team.name)]);
        assert.equal(entry.inputs.type, "STANDARD");
        const binding = ofType(p, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").find((b) => (b.inputs.metadata as { namespace: string }).namespace === team.name)!;
        assert.deepEqual(binding.inputs.subjects, [{ kind: "Group", name: teamGroup(team.name), apiGroup: "rbac.authorization.k8s.io" }]);
        assert.deepEqual(binding.inputs.roleRef, { kind: "ClusterRole", name: "edit", apiGroup: "rbac.authorization.k8s.io" });
      }
      assert.equal(ofType(p, association).length, 0, "team roles get no cluster-wide policy");
    });

    it("gives two teams that share a role one entry carrying both groups", async () => {
      const shared = devTeams[0].group;
      const p = await plan("dev", { "gpu-platform:teams": devTeams.map((t) => ({ ...t, group: shared, gpus: { l4: 4 }, cpu: "8", memory: "8Gi" })) });
      const entries = ofType(p, accessEntry).filter((e) => e.inputs.principalArn === shared);
      assert.equal(entries.length, 1);
      assert.deepEqual(entries[0].inputs.kubernetesGroups, devTeams.map((t) => teamGroup(t.name)));
    });

    it("with SSO, binds the provider's groups (prefixed) and makes no team access entries", async () => {
      const p = await plan("eu-prod");
      const idp = one(p, "aws:eks/identityProviderConfig:IdentityProviderConfig").inputs.oidc as Record<string, string>;
      assert.deepEqual(idp, {
        identityProviderConfigName: "sso", issuerUrl: "https://login.example.com/oauth2/default", clientId: "kubernetes-gpu-eu-prod",
        usernameClaim: "email", usernamePrefix: "oidc:", groupsClaim: "groups", groupsPrefix: "oidc:",
      });
      const bindings = ofType(p, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
      assert.deepEqual(bindings.map((b) => (b.inputs.subjects as { name: string }[])[0].name).sort(), ["oidc:assistants-ml", "oidc:search-ml"]);
      const admins = one(p, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "-sso-admins").inputs;
      assert.deepEqual(admins.subjects, [{ kind: "Group", name: "oidc:ml-platform-admins", apiGroup: "rbac.authorization.k8s.io" }]);
      assert.deepEqual(admins.roleRef, { kind: "ClusterRole", name: "cluster-admin", apiGroup: "rbac.authorization.k8s.io" });
      assert.deepEqual(ofType(p, accessEntry).filter((e) => e.name.includes("-team-")), []);
    });
  });
});
