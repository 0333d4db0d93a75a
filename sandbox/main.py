"""The insurer sandbox: a reference implementation of the insurer API (docs/insurer-api.md) on a
database of its own, standing for an insurer's systems. A real insurer replaces it by pointing the
action server at its own API with the same contract.

Run with `uvicorn sandbox.main:app`. The app is built on first access to `app`, so that importing
`create_app` (tests, tools) reads no environment. Building it checks the settings and rules.yml: a
missing API key or a malformed rule stops the start, naming what is wrong. At start-up an empty
database gets the demo data (sandbox/seed).
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from common.app import lazy_app
from common.db import create_engine, create_tables, session_factory
from common.health import database_check, health_router
from common.logging import configure_logging
from sandbox import models  # noqa: F401  (registers every sandbox table for create_tables)
from sandbox.auth import ApiKeyGate
from sandbox.billing.router import router as billing_router
from sandbox.collections.checkout import router as checkout_router
from sandbox.collections.payments_router import router as payments_router
from sandbox.collections.reminders_router import router as reminders_router
from sandbox.collections.router import router as collections_router
from sandbox.contacts.router import router as contacts_router
from sandbox.coverage.router import router as coverage_router
from sandbox.errors import SHARED_ERRORS, answer_shared_error, validation_error
from sandbox.members.router import router as members_router
from sandbox.providers.router import router as providers_router
from sandbox.requests.router import router as requests_router
from sandbox.rules import load_rules
from sandbox.runtime import Clock, SandboxRuntime
from sandbox.seed import seed_if_empty
from sandbox.settings import SandboxSettings, check_settings
from sandbox.sql import utc_now

SERVICE = "sandbox"

logger = logging.getLogger(__name__)

DESCRIPTION = """
The insurer API the action server calls (contract: `docs/insurer-api.md`). Every `/v1` route
needs the `X-API-Key` header (use **Authorize**). Money is integer cents with an ISO currency;
dates are `yyyy-mm-dd`; moments ISO 8601 on the member's clock.

Errors: `{"detail": {"code": "...", "message": "..."}}`; FastAPI's own validation errors (422)
keep FastAPI's shape; a missing or wrong key is `401 {"detail": "..."}`.

Demo members: M0001 Ana (BR, CPF 529.982.247-25, 1985-03-14), M0002 Bruno (BR, CPF
111.444.777-35, 1990-07-02), M0003 Camila (CL, RUT 12.345.678-5, 1988-11-30), M0004 Diego (ES,
DNI 12345678Z, 1979-05-21).
"""

TAGS = [
    {"name": "members", "description": "Identify a member and read who they are."},
    {"name": "service contacts", "description": "The ANS protocol number of each contact."},
    {"name": "requests", "description": "Authorizations, reimbursements and claims."},
    {"name": "coverage and network", "description": "What the plan covers, and where."},
    {"name": "bills", "description": "Invoices, duplicates, co-payments and debts."},
    {"name": "collections", "description": "Payment agreements, disputes, reminders."},
    {"name": "payments", "description": "Payment confirmations (the bank's side) and events."},
    {"name": "checkout", "description": "Open: the card checkout page and PIX QR images."},
    {"name": "health", "description": "Open: whether the database answers."},
]


def create_app(settings: SandboxSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or SandboxSettings()
    configure_logging(SERVICE, settings.log_level)
    # Access lines carry member ids, request numbers and what was searched for (`?q=` of
    # coverage: health data): the sandbox's own logs say what happened, without them.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    check_settings(settings)
    rules = load_rules(settings.sandbox_rules_file)
    engine = create_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await create_tables(engine)
            sessions = session_factory(engine)
            if settings.sandbox_seed_when_empty:
                await seed_if_empty(sessions, now=clock(), rules=rules)
            app.state.runtime = SandboxRuntime(
                settings=settings, sessions=sessions, rules=rules, clock=clock
            )
            logger.info("sandbox started")
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="Acolhe insurer sandbox",
        description=DESCRIPTION,
        version="1",
        openapi_tags=TAGS,
        lifespan=lifespan,
        max_body_size=settings.sandbox_max_body_bytes,
    )
    app.add_middleware(ApiKeyGate, api_key=settings.api_key())
    app.add_exception_handler(RequestValidationError, validation_error)
    for shared_error in SHARED_ERRORS:
        app.add_exception_handler(shared_error, answer_shared_error)
    # The sandbox keeps nothing in Redis: its health is its database's.
    app.include_router(health_router(SERVICE, {"database": database_check(engine)}))
    app.include_router(members_router)
    app.include_router(contacts_router)
    app.include_router(requests_router)
    app.include_router(coverage_router)
    app.include_router(providers_router)
    app.include_router(billing_router)
    app.include_router(collections_router)
    app.include_router(payments_router)
    app.include_router(reminders_router)
    app.include_router(checkout_router)
    return app


__getattr__ = lazy_app(__name__, create_app)
