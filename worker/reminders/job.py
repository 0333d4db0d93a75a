"""The reminders pass, run by arq every 10 minutes: each installment whose reminder's moment has
come (cadence.py) gets it once, on WhatsApp, through the gateway.

At most once: the insurer's claim (409 when taken) comes before the sending, and the outcome is
recorded after it (`sent` with the gateway's message id, or `refused` with its reason, e.g. the
member opted out). A pass that dies in between leaves the claim `pending`: that member is not
reminded twice, which matters more than a reminder that did not go.
"""

import logging
from collections import Counter
from datetime import datetime

import httpx

from common.money import money, short_day
from worker.reminders.cadence import (
    Cadence,
    due_dates_around,
    reminder_cadence,
    reminder_due_now,
)
from worker.reminders.gateway import GatewayMessages, Sent
from worker.reminders.insurer import InsurerReminders, ReminderTarget

logger = logging.getLogger(__name__)

BEFORE_DUE_TEMPLATE = "payment_reminder"
OVERDUE_TEMPLATE = "payment_overdue_reminder"
# Templates are WhatsApp's; a web chat visitor who left cannot be reached, and REST clients only
# get answers to their own requests.
REMINDED_CHANNEL = "whatsapp"
# The insurer keeps the gateway's reason; a 422's list of problems need not be kept whole.
DETAIL_MAX_CHARS = 200


async def send_due_reminders(
    *,
    insurer: InsurerReminders,
    gateway: GatewayMessages,
    now: datetime,
    cadence: Cadence | None = None,
) -> dict[str, int]:
    """One pass: how many installments ended up how ("sent", "refused", "not_due"...)."""
    cadence = cadence or reminder_cadence()
    due_from, due_to = due_dates_around(now.date(), cadence)
    counts: Counter[str] = Counter()
    for target in await insurer.installments(due_from, due_to):
        try:
            outcome = await _remind(
                target, insurer=insurer, gateway=gateway, now=now, cadence=cadence
            )
        except httpx.HTTPError as error:
            # The next pass tries again, unless the claim was made: then it stays pending.
            outcome = "failed"
            logger.warning(
                "reminder failed",
                extra={"installment_id": target.installment_id, "error": type(error).__name__},
            )
        counts[outcome] += 1
    logger.info("reminders pass", extra={"counts": dict(counts)})
    return dict(counts)


async def _remind(
    target: ReminderTarget,
    *,
    insurer: InsurerReminders,
    gateway: GatewayMessages,
    now: datetime,
    cadence: Cadence,
) -> str:
    if not target.consent:
        return "no_consent"
    if target.conversation_id is None or target.channel != REMINDED_CHANNEL:
        return "no_conversation"
    reminder = reminder_due_now(
        due=target.due_date, market=target.market, consented=True, now=now, cadence=cadence
    )
    if reminder is None:
        return "not_due"
    offset = reminder.offset_days
    if any(r.offset_days == offset for r in target.reminders):
        return "already_claimed"
    if not await insurer.claim(target.installment_id, offset):
        return "already_claimed"
    result = await gateway.send_template(
        target.conversation_id,
        BEFORE_DUE_TEMPLATE if offset < 0 else OVERDUE_TEMPLATE,
        {
            "due_date": short_day(target.due_date),
            "amount": money(target.amount_cents, target.currency),
        },
    )
    if isinstance(result, Sent):
        await insurer.record(
            target.installment_id, offset, outcome="sent", message_id=result.message_id
        )
        return "sent"
    await insurer.record(
        target.installment_id, offset, outcome="refused", detail=result.reason[:DETAIL_MAX_CHARS]
    )
    return "refused"
