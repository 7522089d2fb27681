#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Check edrdiag's Kubernetes manifests against what they must hold.

    check-manifests.py [MANIFEST.yaml...]   (default: the DaemonSet and the Job beside it)

Every YAML document is validated against edrdiag-manifests.schema.json (JSON Schema
2020-12, with python3-jsonschema), then two things a schema cannot say are checked: every
volume mount names a volume of the pod, and a mount at /host/PATH, or at a node path, is the
node's own PATH (the checks under --root /host read /host/proc as the node's /proc).
Prints one line per problem; exit status 0 when there is none, 1 otherwise, 2 on bad input.
"""
import json
import os
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def pod_spec(doc):
    return doc.get("spec", {}).get("template", {}).get("spec", {})


def cross_check(doc, where):
    spec = pod_spec(doc)
    volumes = {v.get("name"): v for v in spec.get("volumes", [])}
    problems = []
    for c in spec.get("initContainers", []) + spec.get("containers", []):
        for m in c.get("volumeMounts", []):
            v = volumes.get(m.get("name"))
            at = f"{where}: container {c.get('name')}: mount {m.get('mountPath')}"
            if v is None:
                problems.append(f"{at}: no volume named {m.get('name')}")
                continue
            if "hostPath" not in v:
                continue
            path, mp = v["hostPath"].get("path"), m.get("mountPath", "")
            want = mp[len("/host"):] if mp.startswith("/host/") else mp
            if mp not in ("/reports", "/tmp") and path != want:
                problems.append(f"{at}: is the node's {path}, not its {want}")
    return problems


def main(argv):
    files = argv[1:] or [os.path.join(HERE, f)
                         for f in ("edrdiag-daemonset.yaml", "edrdiag-collect-job.yaml")]
    with open(os.path.join(HERE, "edrdiag-manifests.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    problems, docs = [], 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                loaded = [d for d in yaml.safe_load_all(f) if d is not None]
        except (OSError, yaml.YAMLError) as e:
            print(f"check-manifests: {path}: {e}", file=sys.stderr)
            return 2
        for i, doc in enumerate(loaded):
            docs += 1
            where = f"{path}[{i}] {doc.get('kind', '?')}" if isinstance(doc, dict) else path
            for e in validator.iter_errors(doc):
                # oneOf hides which branch failed: report the branch of the document's kind
                sub = [s for s in (e.context or []) if
                       s.schema_path and s.schema_path[0] == (0 if doc.get("kind") ==
                                                              "DaemonSet" else 1)]
                for s in sub or [e]:
                    loc = "/".join(str(p) for p in s.absolute_path)
                    problems.append(f"{where}: /{loc}: {s.message}")
            if isinstance(doc, dict):
                problems += cross_check(doc, where)
    for p in problems:
        print(p)
    if not docs:
        print("check-manifests: no YAML document", file=sys.stderr)
        return 2
    print(f"check-manifests: {docs} documents, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
