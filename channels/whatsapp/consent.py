"""The words that stop and resume proactive messages, sent alone as the whole message."""

import unicodedata

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from channels.models import ConsentAction, ConsentEvent, Conversation, utc_now
from channels.store import Sessions

KEYWORDS = {
    ConsentAction.OPT_OUT: {"STOP", "PARAR", "SAIR", "BAJA", "UNSUBSCRIBE", "CANCELAR AVISOS"},
    ConsentAction.OPT_IN: {"START", "VOLTAR", "VOLVER", "ALTA", "UNSTOP"},
}


def consent_keyword(text: str) -> ConsentAction | None:
    """The consent action a message asks for, or None for any other message.

    Only the bare keyword counts ("parar", "PARAR!"): "não consigo parar de tossir" is a member
    talking to us, not one leaving.
    """
    word = _plain(text)
    for action, keywords in KEYWORDS.items():
        if word in keywords:
            return action
    return None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.upper().strip(" \t\n.!¡?¿").split())


async def record_consent(
    sessions: Sessions,
    *,
    conversation_id: str,
    channel: str,
    message_id: int,
    action: ConsentAction,
) -> bool:
    """Record what the member's message asks for, once per message; False when it already was.

    The webhook records it as the message arrives, so an opt-out takes effect even while the
    bot is down and earlier messages wait for it; the message's turn records it otherwise (a
    gateway that died in between) and sends the confirmation.
    """
    now = utc_now()
    try:
        async with sessions() as session, session.begin():
            seen = await session.scalar(
                select(ConsentEvent.id).where(ConsentEvent.message_id == message_id)
            )
            if seen is not None:
                return False
            session.add(
                ConsentEvent(
                    conversation_id=conversation_id,
                    action=action,
                    channel=channel,
                    message_id=message_id,
                    at=now,
                )
            )
            await session.flush()  # both recording at once: the unique message_id stops one
            # Recorded late (its turn, after a crash), it must not undo what the member asked
            # for since.
            later = await session.scalar(
                select(ConsentEvent.id)
                .where(
                    ConsentEvent.conversation_id == conversation_id,
                    ConsentEvent.message_id > message_id,
                )
                .limit(1)
            )
            if later is None:
                await session.execute(
                    update(Conversation)
                    .where(Conversation.id == conversation_id)
                    .values(opted_out_at=now if action == ConsentAction.OPT_OUT else None)
                )
    except IntegrityError:
        return False
    return True
