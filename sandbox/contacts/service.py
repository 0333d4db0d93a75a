"""Opening a service contact: its protocol number, drawn and stored in one transaction."""

from datetime import datetime

from common.ans_protocol import PROTOCOL_TIME_ZONE
from sandbox import markets
from sandbox.contacts.models import Contact
from sandbox.contacts.protocol import next_protocol
from sandbox.members.service import load_member
from sandbox.sql import Sessions, as_utc


async def open_contact(
    sessions: Sessions,
    *,
    member_id: str | None,
    channel: str,
    topic: str,
    ans_registration: str,
    now: datetime,
) -> tuple[Contact, datetime]:
    """The stored contact and its opening moment on the member's (or the operator's) clock.
    Raises UnknownMember for a member id that is not one."""
    # To the second: what a member reads needs no more, and both databases keep it alike.
    now = as_utc(now).replace(microsecond=0)
    async with sessions() as session, session.begin():
        zone = PROTOCOL_TIME_ZONE
        if member_id is not None:
            member = await load_member(session, member_id)
            zone = markets.info(member.market).zone
        protocol = await next_protocol(session, ans_registration=ans_registration, now=now)
        contact = Contact(
            protocol=protocol,
            member_id=member_id,
            channel=channel,
            topic=topic,
            opened_at=now,
        )
        session.add(contact)
    return contact, now.astimezone(zone)
