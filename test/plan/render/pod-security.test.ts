import { strict as assert } from "assert";
import { unpinnedImage } from "../../../plan/render/checks";
import { podSecurityProblems } from "../../../plan/render/pod-security";

const restrictedContainer = {
  name: "app",
  image: "app:v1",
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
};

describe("Pod Security Standards", () => {
  it("admits a restricted pod everywhere and refuses nothing in privileged namespaces", () => {
    for (const level of ["privileged", "baseline", "restricted"] as const) assert.deepEqual(podSecurityProblems({ containers: [restrictedContainer] }, level), []);
    assert.deepEqual(podSecurityProblems({ hostNetwork: true, containers: [{ name: "x", securityContext: { privileged: true } }] }, "privileged"), []);
  });

  it("refuses host namespaces, privilege, host paths, host ports and extra capabilities at baseline", () => {
    const problems = podSecurityProblems({
      hostPID: true,
      volumes: [{ name: "root", hostPath: { path: "/" } }],
      containers: [{ name: "x", ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN", "CHOWN"] } } }],
    }, "baseline");
    assert.deepEqual(problems, ["hostPID: true", "hostPath volume \"root\"", "container \"x\" privileged", "container \"x\" adds capability SYS_ADMIN", "container \"x\" hostPort 80"]);
  });

  it("asks restricted pods for non-root, no escalation, a seccomp profile and no capabilities, taking pod-level settings", () => {
    assert.deepEqual(podSecurityProblems({ containers: [{ name: "x" }] }, "restricted"), [
      "container \"x\" does not set allowPrivilegeEscalation: false",
      "container \"x\" does not set runAsNonRoot: true",
      "container \"x\" has no RuntimeDefault or Localhost seccompProfile",
      "container \"x\" does not drop ALL capabilities",
    ]);
    const podLevel = { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [{ name: "x", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }] };
    assert.deepEqual(podSecurityProblems(podLevel, "restricted"), []);
    assert.deepEqual(podSecurityProblems({ ...podLevel, initContainers: [{ name: "init" }] }, "restricted"), [
      "initContainer \"init\" does not set allowPrivilegeEscalation: false",
      "initContainer \"init\" does not drop ALL capabilities",
    ], "init containers count too");
    assert.deepEqual(podSecurityProblems({ ...podLevel, volumes: [{ name: "n", nfs: { server: "s", path: "/" } }] }, "restricted"), ["nfs volume \"n\""]);
  });

  it("refuses Windows host processes and probes aimed at other hosts, and allows empty SELinux user and role", () => {
    const podLevel = { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } };
    const container = (extra: object) => ({ ...restrictedContainer, ...extra });
    assert.deepEqual(podSecurityProblems({ ...podLevel, containers: [container({ livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } } })] }, "baseline"), ["container \"app\" probe or hook to host 10.0.0.1"]);
    assert.deepEqual(podSecurityProblems({ ...podLevel, containers: [container({ readinessProbe: { tcpSocket: { host: "127.0.0.1", port: 80 } } })] }, "baseline"), []);
    assert.deepEqual(podSecurityProblems({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [restrictedContainer] }, "baseline"), ["pod windowsOptions.hostProcess"]);
    assert.deepEqual(podSecurityProblems({ securityContext: { seLinuxOptions: { user: "", role: "" } }, containers: [restrictedContainer] }, "baseline"), []);
  });

  it("tells pinned images from floating ones", () => {
    assert.equal(unpinnedImage("nvcr.io/nvidia/gpu-operator:v26.7.0"), false);
    assert.equal(unpinnedImage("localhost:5000/team/app"), true, "a registry port is not a tag");
    assert.equal(unpinnedImage("vllm/vllm-openai:latest"), true);
    assert.equal(unpinnedImage(`quay.io/x/y@sha256:${"0".repeat(64)}`), false);
  });
});
