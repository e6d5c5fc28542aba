"""Drive a running tableau-sim with Tableau's own Python client
(tableauserverclient) and check that the client works against it.

Usage: tsc_conformance.py BASE_URL --users N --groups N
Prints one line per check and a final `conformance: N passed, M failed`;
exits non-zero when a check fails.
"""

import argparse
import json
import sys
import traceback
import urllib.error
import urllib.request

import tableauserverclient as TSC

PAT, SECRET = "admin-pat", "admin-secret"

results = {"passed": 0, "failed": 0}


def check(name):
    def run(fn):
        try:
            fn()
            results["passed"] += 1
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - report every failure and go on
            results["failed"] += 1
            print(f"FAIL {name}")
            traceback.print_exc(file=sys.stdout)
        return fn

    return run


def signed_in(base):
    server = TSC.Server(base, use_server_version=True)
    server.auth.sign_in(TSC.PersonalAccessTokenAuth(PAT, SECRET, site_id=""))
    return server


def raw_get(base, version, site_id, token, path):
    req = urllib.request.Request(
        f"{base}/api/{version}/sites/{site_id}/{path}",
        headers={"X-Tableau-Auth": token, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def error_code(exc):
    return str(getattr(exc, "code", ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--users", type=int, required=True)
    ap.add_argument("--groups", type=int, required=True)
    args = ap.parse_args()
    base = args.base.rstrip("/")
    state = {}

    @check("PAT sign-in and server version detection")
    def _():
        server = signed_in(base)
        assert server.version == "3.21", server.version
        assert server.site_id and server.user_id and server.auth_token
        state["server"] = server

    server = state.get("server")
    if server is None:
        return finish()

    @check("users through the Pager, all fields")
    def _():
        opts = TSC.RequestOptions(pagesize=37)
        users = list(TSC.Pager(server.users, opts))
        assert len(users) == args.users + 1, len(users)
        assert len({u.id for u in users}) == len(users)
        assert all(u.email and u.fullname and u.site_role for u in users)
        assert any(u.name == "admin" for u in users)
        assert any(u.last_login is None for u in users), "some users never signed in"
        state["users"] = users

    @check("groups through the Pager")
    def _():
        groups = list(TSC.Pager(server.groups))
        assert len(groups) == args.groups + 1, len(groups)
        assert "All Users" in {g.name for g in groups}
        state["groups"] = groups

    @check("users of a group")
    def _():
        groups = state["groups"]
        all_users = next(g for g in groups if g.name == "All Users")
        server.groups.populate_users(all_users)
        assert len(list(all_users.users)) == args.users + 1
        sizes = []
        for g in groups:
            if g.name == "All Users":
                continue
            server.groups.populate_users(g)
            members = list(g.users)
            sizes.append(len(members))
            ids = {u.id for u in state["users"]}
            assert all(m.id in ids for m in members)
        assert sum(sizes) > 0
        state["big_group"] = max(
            (g for g in groups if g.name != "All Users"), key=lambda g: len(list(g.users))
        )

    @check("groups of a user")
    def _():
        g = state["big_group"]
        member = list(g.users)[0]
        user = server.users.get_by_id(member.id)
        server.users.populate_groups(user)
        names = {x.name for x in user.groups}
        assert "All Users" in names and g.name in names, names

    def owners():
        ids = set()
        for endpoint in (server.workbooks, server.datasources, server.flows, server.projects, server.views):
            for item in TSC.Pager(endpoint):
                ids.add(item.owner_id)
        return ids

    @check("site role update")
    def _():
        target = next(u for u in state["users"] if u.site_role == "Viewer")
        target.site_role = "Explorer"
        updated = server.users.update(target)
        assert updated.site_role == "Explorer"
        assert server.users.get_by_id(target.id).site_role == "Explorer"

    @check("remove a user who owns nothing")
    def _():
        owning = owners()
        victim = next(u for u in state["users"] if u.id not in owning and u.name != "admin")
        server.users.remove(victim.id)
        try:
            server.users.get_by_id(victim.id)
            raise AssertionError("removed user still found")
        except TSC.ServerResponseError as e:
            assert error_code(e) == "404002", error_code(e)

    @check("remove an owner without map_assets_to: 409003, left Unlicensed")
    def _():
        owning = owners() - {server.user_id}
        victim = sorted(owning)[0]
        try:
            server.users.remove(victim)
            raise AssertionError("owner removed despite owning content")
        except TSC.ServerResponseError as e:
            assert error_code(e) == "409003", error_code(e)
        assert server.users.get_by_id(victim).site_role == "Unlicensed"
        state["owner"] = victim

    @check("remove an owner with map_assets_to")
    def _():
        victim = state["owner"]
        server.users.remove(victim, map_assets_to=server.user_id)
        assert victim not in owners()
        try:
            server.users.get_by_id(victim)
            raise AssertionError("removed user still found")
        except TSC.ServerResponseError as e:
            assert error_code(e) == "404002"

    @check("a second sign-in with the same PAT ends the first session")
    def _():
        first = signed_in(base)
        first.users.get()
        second = signed_in(base)
        try:
            first.users.get()
            raise AssertionError("first session still valid")
        except AssertionError:
            raise
        except Exception as e:  # TSC raises FailedSignInError for any 401
            assert error_code(e) == "401002", (type(e), error_code(e))
        second.users.get()
        state["server"] = second

    @check("sign-out ends the session")
    def _():
        s = state["server"]
        token, site, version = s.auth_token, s.site_id, s.version
        status, _ = raw_get(base, version, site, token, "users?pageSize=1")
        assert status == 200
        s.auth.sign_out()
        status, body = raw_get(base, version, site, token, "users?pageSize=1")
        assert status == 401 and body["error"]["code"] == "401002", (status, body)

    finish()


def finish():
    print(f"conformance: {results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] or not results["passed"] else 0)


if __name__ == "__main__":
    main()
