"""``scripts/topology up|down|status|test|bench`` (docs/deployment.md)."""

from __future__ import annotations

import argparse
import sys

from deploy.topology import services


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/topology",
        description="The production topology on 127.0.0.1 (docs/deployment.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start everything (idempotent) and print what runs where")
    commands.add_parser("down", help="stop everything and drop the clusters it made")
    commands.add_parser("status", help="what runs where (exit 1 if something is missing)")
    test = commands.add_parser("test", help="the checks against the running topology")
    test.add_argument("--only", nargs="*", help="run only these checks (by name)")
    bench = commands.add_parser("bench", help="requests/s and p95 with 1 and with 3 app processes")
    bench.add_argument("--seconds", type=float, default=8.0, help="per measurement (8)")
    bench.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    args = parser.parse_args()
    if args.command == "up":
        services.up()
        return 0
    if args.command == "down":
        services.down()
        return 0
    if args.command == "status":
        return services.status()
    from deploy.topology import checks

    if args.command == "test":
        return checks.main(args.only)
    return checks.bench_main(seconds=args.seconds, clients=args.clients)


if __name__ == "__main__":
    sys.exit(main())
