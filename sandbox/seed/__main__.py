"""`python -m sandbox.seed [--today YYYY-MM-DD] [--reset]`: load the demo data into the database
SANDBOX_DATABASE_URL names (creating its tables). Without --reset, a database that has members
is left alone."""

import argparse
import asyncio
from datetime import UTC, date, datetime, time

from common.db import Base, create_engine, create_tables, session_factory
from sandbox.models import SANDBOX_TABLES
from sandbox.rules import load_rules
from sandbox.seed import seed_if_empty
from sandbox.settings import SandboxSettings


async def main(*, today: date | None, reset: bool) -> bool:
    settings = SandboxSettings()
    engine = create_engine(settings.database_url)
    try:
        if reset:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.drop_all, tables=list(SANDBOX_TABLES))
        await create_tables(engine)
        # Noon UTC of the given day is that same day in every market's zone.
        now = datetime.combine(today, time(12), tzinfo=UTC) if today else datetime.now(UTC)
        return await seed_if_empty(
            session_factory(engine), now=now, rules=load_rules(settings.sandbox_rules_file)
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m sandbox.seed", description=__doc__)
    parser.add_argument("--today", type=date.fromisoformat, help="the day dates count from")
    parser.add_argument("--reset", action="store_true", help="drop the sandbox's tables first")
    arguments = parser.parse_args()
    loaded = asyncio.run(main(today=arguments.today, reset=arguments.reset))
    print("demo data loaded" if loaded else "the database already has members: left alone")
