#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The `podman run` options that give one container of a manifest its pod's view of a node.

    podman-args.py MANIFEST.yaml CONTAINER

Prints one option a line, from the manifest itself: the container's hostPath mounts (-v
NODE_PATH:MOUNT_PATH[:ro]), its capabilities (--cap-drop / --cap-add), its security context
(--read-only, no-new-privileges, --user) and the pod's hostNetwork and hostPID; then the
image and the container's args after a line "--". A host path this machine does not have
is left out and named on standard error (a node without /lib/modules, say). Used by
tests/cli/fleet_k8s.bats to run the image as the DaemonSet runs it, and by anyone trying
the image without a cluster.
"""
import os
import sys

import yaml


def find(doc, name):
    spec = doc.get("spec", {}).get("template", {}).get("spec", {})
    for c in spec.get("initContainers", []) + spec.get("containers", []):
        if c.get("name") == name:
            return spec, c
    return None, None


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]
    for doc in docs:
        spec, c = find(doc, argv[2])
        if c is not None:
            break
    else:
        print(f"podman-args: no container {argv[2]} in {argv[1]}", file=sys.stderr)
        return 2
    out = []
    out.append("--network=" + ("host" if spec.get("hostNetwork") else "none"))
    if spec.get("hostPID"):
        out.append("--pid=host")
    sc = c.get("securityContext", {})
    if sc.get("privileged"):
        out.append("--privileged")
    if sc.get("allowPrivilegeEscalation") is False:
        out.append("--security-opt=no-new-privileges")
    if sc.get("readOnlyRootFilesystem"):
        out.append("--read-only")
    if "runAsUser" in sc:
        out.append(f"--user={sc['runAsUser']}:{sc.get('runAsGroup', sc['runAsUser'])}")
    caps = sc.get("capabilities", {})
    out += ["--cap-drop=" + x.lower() for x in caps.get("drop", [])]
    out += ["--cap-add=" + x.lower() for x in caps.get("add", [])]
    volumes = {v.get("name"): v for v in spec.get("volumes", [])}
    for m in c.get("volumeMounts", []):
        v = volumes.get(m.get("name"), {})
        if "hostPath" not in v:
            continue
        src = v["hostPath"]["path"]
        if not os.path.exists(src):
            print(f"podman-args: {src}: not on this host, not mounted", file=sys.stderr)
            continue
        out.append(f"--volume={src}:{m['mountPath']}" + (":ro" if m.get("readOnly") else ""))
    out.append(c["image"])
    out.append("--")
    out += [str(a) for a in c.get("command", []) + c.get("args", [])]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
