"""Throwaway PostgreSQL databases for the tests, on the machine's PostgreSQL (trust auth locally).

POSTGRES_ADMIN_URL points at a server and a database to connect to for CREATE/DROP DATABASE.
"""

import os

import psycopg
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "POSTGRES_ADMIN_URL", "postgresql://postgres@localhost/postgres"
)


def fresh_postgres_database(name: str) -> str:
    """Drop and recreate database `name`; return its URL in the form DATABASE_URL takes."""
    admin = make_url(POSTGRES_ADMIN_URL)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)
