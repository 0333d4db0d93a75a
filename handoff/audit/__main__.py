"""`python -m handoff.audit verify [--database-url URL]`: check the audit chain.

Exits 0 printing "audit chain intact: N entries"; 1 naming the first entry that breaks the
chain; 2 when the database cannot be read. DATABASE_URL (or .env) is the default database, as
for the service itself.
"""

import argparse
import asyncio
import sys

from sqlalchemy.exc import SQLAlchemyError

from common.settings import ServiceSettings
from handoff.audit.verify import verify_database

EXIT_INTACT, EXIT_BROKEN, EXIT_UNREADABLE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handoff.audit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="check every entry's hash and link")
    verify.add_argument(
        "--database-url", help="plain SQLAlchemy URL (default: DATABASE_URL, as the service)"
    )
    arguments = parser.parse_args(argv)

    database_url = arguments.database_url or ServiceSettings().database_url
    try:
        report = asyncio.run(verify_database(database_url))
    except (SQLAlchemyError, OSError, ValueError) as error:
        # The error's class, not its text: driver messages can carry the URL and its password.
        print(f"audit chain not checked: cannot read the database ({type(error).__name__})")
        return EXIT_UNREADABLE
    print(report.summary())
    return EXIT_INTACT if report.intact else EXIT_BROKEN


if __name__ == "__main__":
    sys.exit(main())
