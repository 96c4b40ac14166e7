"""Lint the permission documents the component emits with parliament.

Usage: check.py DOCS_DIR ALLOWLIST_DIR

DOCS_DIR holds <profile>-<case>.json, written by the Go test that checks them
(TestPermissionsPolicyExactSets). Every finding on a profile's documents must be
allowed by ALLOWLIST_DIR/allowlist-<profile>.yaml, and every allowlist entry must
still match a finding, so the list cannot outlive what it excuses. Trust policies
are not linted: parliament reports their Principal as malformed.
"""

import fnmatch
import pathlib
import sys

import parliament
import yaml


def finding_actions(f):
    """The actions a finding is about, lower-cased, from its location or detail."""
    acts = list(f.location.get("actions", []))
    if isinstance(f.detail, list):
        for d in f.detail:
            acts.append(d["action"] if isinstance(d, dict) else d)
    return sorted({a.lower() for a in acts})


def allows(entry, issue, actions):
    if entry["issue"] != issue or not actions:
        return False
    patterns = [p.lower() for p in entry["actions"]]
    return all(any(fnmatch.fnmatchcase(a, p) for p in patterns) for a in actions)


def main(docs_dir, allow_dir):
    community = pathlib.Path(parliament.__file__).parent / "community_auditors"
    parliament.override_config(str(community / "config_override.yaml"))
    docs = sorted(pathlib.Path(docs_dir).glob("*.json"))
    if not docs:
        print(f"no documents in {docs_dir}")
        return 1
    failed = False
    used = {}
    allowlists = {}
    for doc in docs:
        profile = doc.stem.split("-")[0]
        if profile not in allowlists:
            path = pathlib.Path(allow_dir) / f"allowlist-{profile}.yaml"
            allowlists[profile] = yaml.safe_load(path.read_text()) or []
            for e in allowlists[profile]:
                if not e.get("reason"):
                    print(f"{path}: entry {e} has no reason")
                    failed = True
        policy = parliament.analyze_policy_string(
            doc.read_text(), filepath=str(doc), include_community_auditors=True,
            config=parliament.config)
        for f in policy.findings:
            f = parliament.enhance_finding(f)
            actions = finding_actions(f)
            hits = [i for i, e in enumerate(allowlists[profile]) if allows(e, f.issue, actions)]
            for i in hits:
                used.setdefault(profile, set()).add(i)
            status = "allowed" if hits else "NOT ALLOWED"
            shown = " ".join(actions[:3]) + (f" (+{len(actions) - 3})" if len(actions) > 3 else "")
            print(f"{doc.name}: {f.severity} {f.issue} {shown}: {status}")
            failed = failed or not hits
    for profile, entries in allowlists.items():
        for i, e in enumerate(entries):
            if i not in used.get(profile, set()):
                print(f"allowlist-{profile}.yaml: {e['issue']} {e['actions']} matches no finding: remove it")
                failed = True
    print("IAM lint: " + ("FAILED" if failed else f"ok, {len(docs)} documents"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
