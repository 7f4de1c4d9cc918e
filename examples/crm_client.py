"""A CRM-style integration of the Intrlume API, using the Python standard library only.

    python examples/crm_client.py --base-url http://127.0.0.1:5000 --key sk_live_…
    python examples/crm_client.py --base-url http://127.0.0.1:5000 --key sk_live_… list
    python examples/crm_client.py --key sk_live_… create "Front desk"

The key comes from Settings → API keys; it may also be given as INTRLUME_API_KEY, which keeps
it out of the shell history and the process list.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit


class ApiError(Exception):
    """An error answer of the API: its HTTP status, stable code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class IntrlumeClient:
    """The few calls a CRM needs: list the agents and create one."""

    def __init__(self, base_url: str, key: str, timeout: float = 10):
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError("the base URL must start with http:// or https://")
        self.api_root = base_url.rstrip("/") + "/api/v1/"
        self.key = key
        self.timeout = timeout

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        """Send one call; the decoded JSON answer, or ApiError."""
        url = urljoin(self.api_root, path.lstrip("/"))
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.key}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                error = json.load(exc)["error"]
            except (ValueError, KeyError, TypeError):
                error = {"code": "http_error", "message": exc.reason}
            raise ApiError(exc.code, error["code"], error["message"]) from None

    def agents(self):
        """Every agent of the organization, following the `next` links page by page."""
        path = "agents?limit=100"
        while path:
            page = self.request("GET", path)
            yield from page["data"]
            path = page["next"] and urljoin(self.api_root, page["next"])

    def create_agent(self, name: str) -> dict:
        return self.request("POST", "agents", {"name": name})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="List and create Intrlume agents.")
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--key", default=os.environ.get("INTRLUME_API_KEY"))
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("list", help="list the agents (the default)")
    create = commands.add_parser("create", help="create an agent")
    create.add_argument("name")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("give --key sk_live_… or set INTRLUME_API_KEY")

    client = IntrlumeClient(args.base_url, args.key)
    try:
        if args.command == "create":
            agent = client.create_agent(args.name)
            print(f"created {agent['id']}\t{agent['name']}\t{agent['country']}/{agent['timezone']}")
        else:
            for agent in client.agents():
                print(f"{agent['id']}\t{agent['name']}\t{agent['country']}/{agent['timezone']}")
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except urllib.error.URLError as exc:
        print(f"error: can't reach {args.base_url}: {exc.reason}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
