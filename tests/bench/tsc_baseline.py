"""The baseline tabgov is measured against: a full read of a site written the
way tableauserverclient's documentation teaches it.

Sign in with a personal access token (server version detected, as the
documentation's `use_server_version=True`), then the Pager over users with all
fields, the Pager over groups, `populate_users` for every group but "All
Users", and the Pager over every content type for owners; pageSize 1000
throughout. Everything is collected into memory, like tabgov's listing before
it writes the store. Prints one JSON line with what it collected.

The PAT secret comes from TABGOV_PAT_SECRET, never from the command line.
"""

import argparse
import json
import os
import sys

import tableauserverclient as TSC

CONTENT = ("workbooks", "datasources", "flows", "projects", "views")


def read_site(server: TSC.Server, page_size: int) -> dict:
    """Reads users, groups, memberships and content owners into memory."""
    options = TSC.RequestOptions(pagesize=page_size)
    options.all_fields = True
    users = {
        u.id: (u.name, u.email, u.fullname, u.site_role, u.last_login, u.auth_setting, u.domain_name)
        for u in TSC.Pager(server.users, options)
    }

    groups = {g.id: g for g in TSC.Pager(server.groups, TSC.RequestOptions(pagesize=page_size))}
    memberships = set()
    for group in groups.values():
        if group.name == "All Users":
            continue
        server.groups.populate_users(group, TSC.RequestOptions(pagesize=page_size))
        memberships.update((member.id, group.id) for member in group.users)

    owned = {}
    for kind in CONTENT:
        endpoint = getattr(server, kind)
        for item in TSC.Pager(endpoint, TSC.RequestOptions(pagesize=page_size)):
            owned[(kind, item.id)] = item.owner_id
    return {"users": users, "groups": groups, "memberships": memberships, "owned": owned}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="server URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--site", default="", help='site content URL ("" = default site)')
    parser.add_argument("--pat-name", default="admin-pat")
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    secret = os.environ.get("TABGOV_PAT_SECRET")
    if not secret:
        print("error: set TABGOV_PAT_SECRET to the personal access token's secret", file=sys.stderr)
        return 2

    server = TSC.Server(args.server, use_server_version=True)
    auth = TSC.PersonalAccessTokenAuth(args.pat_name, secret, site_id=args.site)
    with server.auth.sign_in(auth):
        site = read_site(server, args.page_size)

    print(
        json.dumps(
            {
                "users": len(site["users"]),
                "groups": len(site["groups"]),
                "memberships": len(site["memberships"]),
                "owned": len(site["owned"]),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
