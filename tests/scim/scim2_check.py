"""Runs the SCIM compliance checker scim2-tester against `tabgov serve`.

Usage: scim2_check.py BASE_URL  (the token comes from TABGOV_SCIM_TOKEN)

Every check scim2-tester runs is printed with its status. The run fails
when a check ends in ERROR or CRITICAL, unless it is one of the documented
exceptions below (docs/scim.md, "Compliance checker", says why each one
cannot pass against Tableau); an exception that no longer fails is
reported too, so the list cannot go stale.
"""

import os
import re
import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

# (resource type, pattern of the check's reason) -> why it cannot pass.
# Kept in step with docs/scim.md.
EXCEPTIONS = [
    (
        "User",
        r"remove attribute 'active'",
        "a Tableau account is always active or suspended: `active` cannot be "
        "removed, only set",
    ),
    (
        "User",
        r"remove attribute 'urn:tabgov:params:scim:schemas:extension:tableau:2\.0:User(:siteRole)?'",
        "every Tableau user has a site role: `siteRole` (and so the tabgov "
        "extension) cannot be removed, only set",
    ),
    (
        None,
        r"attribute 'urn:tabgov:params:scim:schemas:extension:tableau:2\.0:(User|Group)'",
        "the tabgov extensions hold read-only facts (licence, status, last "
        "sign-in, owned content; a group's domain): a PATCH of the whole "
        "extension object is refused, its attributes are set one by one",
    ),
]

FAILED = {Status.ERROR, Status.CRITICAL}


def exception_for(result):
    for resource_type, pattern, why in EXCEPTIONS:
        if resource_type is not None and result.resource_type != resource_type:
            continue
        if re.search(pattern, result.reason or ""):
            return why
    return None


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    base = sys.argv[1].rstrip("/") + "/"
    token = os.environ.get("TABGOV_SCIM_TOKEN")
    if not token:
        print("TABGOV_SCIM_TOKEN is not set: give the scim token", file=sys.stderr)
        return 2
    http = httpx2.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    client = SyncSCIMClient(http)
    results = check_server(client)

    failures, excused, skipped, passed = [], [], [], 0
    for r in results:
        label = f"{r.resource_type or '-'}: {r.title}"
        line = f"{r.status.name:<10} {label}: {r.reason or ''}"
        print(line)
        if r.status in FAILED:
            why = exception_for(r)
            (excused if why else failures).append((line, why))
        elif r.status == Status.SKIPPED:
            skipped.append(line)
        else:
            passed += 1

    print(f"\n{passed} passed, {len(failures)} failed, {len(excused)} excused, "
          f"{len(skipped)} skipped")
    for line, why in excused:
        print(f"excused: {line}\n   why: {why}")
    for line in skipped:
        print(f"skipped: {line}")
    used = {why for _, why in excused}
    for _, _, why in EXCEPTIONS:
        if why not in used:
            print(f"exception no longer needed (remove it here and in docs/scim.md): {why}")
    for line, _ in failures:
        print(f"FAILED: {line}")
    if not results or passed == 0:
        print("no check passed: the checker did not reach the server", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
