"""The identity check against the real insurer sandbox: who passes, who is asked again, who is
handed to a person, and what is never said back."""

import asyncio
import re
import time
from typing import Any

from actions.identity import ValidateIdentityForm
from actions.insurer import InsurerClient
from tests.bot.actions.journey_turns import ANA, CAMILA, DIEGO, Answer, Turn, insurer_at, run
from tests.bot.sandbox import free_port

FORM = "identity_form"


def document_turn(text: str, **fields: Any) -> Turn:
    return Turn(
        text,
        form=FORM,
        requested="identity_document",
        candidates={"identity_document": text},
        **fields,
    )


def birth_date_turn(document: str, born: str, attempts: int = 0, **fields: Any) -> Turn:
    return Turn(
        born,
        form=FORM,
        requested="identity_birth_date",
        slots={
            "identity_document": document,
            "identity_attempts": attempts,
            **fields.pop("slots", {}),
        },
        candidates={"identity_birth_date": born},
        **fields,
    )


def never_echoes_a_document(answer: Answer) -> None:
    said = " ".join(str(m) for m in answer.messages)
    assert not re.search(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", said)


async def test_a_valid_cpf_is_kept_compact_and_the_birth_date_asked_next(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(ValidateIdentityForm(), document_turn("meu cpf é 529.982.247-25"))
    assert answer.slots["identity_document"] == "52998224725"
    never_echoes_a_document(answer)


async def test_a_cpf_with_a_wrong_check_digit_is_asked_again_kindly(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(ValidateIdentityForm(), document_turn("529.982.247-24"))
    assert answer.responses == ["utter_invalid_document"]
    assert answer.slots["identity_document"] is None


async def test_ana_on_her_whatsapp_number_is_verified(insurer_api: InsurerClient) -> None:
    answer = await run(
        ValidateIdentityForm(), birth_date_turn("52998224725", ANA["born"], phone=ANA["phone"])
    )
    assert answer.slots["identity_outcome"] == "verified"
    assert answer.slots["identity_verified"] is True
    assert answer.slots["member_id"] == "M0001"
    assert answer.said("utter_identity_confirmed")["first_name"] == "Ana"
    never_echoes_a_document(answer)


async def test_the_right_cpf_and_birth_date_from_another_whatsapp_number_do_not_pass(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(
        ValidateIdentityForm(), birth_date_turn("52998224725", ANA["born"], phone="+5511900000000")
    )
    assert answer.responses == ["utter_identity_no_match"]
    assert answer.slots.get("identity_verified") is None
    assert answer.slots["identity_attempts"] == 1


async def test_in_the_web_chat_document_and_birth_date_are_enough(
    insurer_api: InsurerClient,
) -> None:
    turn = birth_date_turn("52998224725", "14 de março de 1985", channel="webchat")
    answer = await run(ValidateIdentityForm(), turn)
    assert answer.slots["member_id"] == "M0001"


async def test_document_and_birth_date_in_one_message_verify_at_once(
    insurer_api: InsurerClient,
) -> None:
    turn = document_turn("cpf 529.982.247-25, nasci em 14/03/1985", phone=ANA["phone"])
    answer = await run(ValidateIdentityForm(), turn)
    assert answer.slots["identity_outcome"] == "verified"


async def test_a_wrong_birth_date_is_asked_again_and_the_third_miss_goes_to_a_person(
    insurer_api: InsurerClient,
) -> None:
    first = await run(
        ValidateIdentityForm(), birth_date_turn("52998224725", "15/03/1985", phone=ANA["phone"])
    )
    assert first.responses == ["utter_identity_no_match"]
    assert first.slots["identity_document"] is None  # the member starts over with the document

    third = await run(
        ValidateIdentityForm(),
        birth_date_turn("52998224725", "15/03/1985", attempts=2, phone=ANA["phone"]),
    )
    assert third.slots["identity_outcome"] == "failed"
    assert "utter_identity_no_match" not in third.responses


async def test_spanish_speakers_are_verified_with_a_chilean_rut_or_a_spanish_dni(
    insurer_api: InsurerClient,
) -> None:
    for member, member_id in ((CAMILA, "M0003"), (DIEGO, "M0004")):
        document = await run(
            ValidateIdentityForm(), document_turn(member["document"], slots={"language": "es"})
        )
        compact = document.slots["identity_document"]
        assert compact, member
        answer = await run(
            ValidateIdentityForm(),
            birth_date_turn(
                compact, member["born"], phone=member["phone"], slots={"language": "es"}
            ),
        )
        assert answer.slots["member_id"] == member_id


async def test_an_insurer_that_does_not_answer_ends_the_check_as_unavailable() -> None:
    async with insurer_at(f"http://127.0.0.1:{free_port()}"):
        answer = await run(ValidateIdentityForm(), birth_date_turn("52998224725", ANA["born"]))
    assert answer.slots["identity_outcome"] == "unavailable"
    assert answer.slots.get("identity_verified") is None


async def test_an_insurer_too_slow_to_answer_ends_the_check_within_the_members_patience() -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    started = time.monotonic()
    try:
        async with insurer_at(f"http://127.0.0.1:{port}", attempt_timeout=0.5, budget=1.0):
            answer = await run(ValidateIdentityForm(), birth_date_turn("52998224725", ANA["born"]))
    finally:
        server.close()
    assert answer.slots["identity_outcome"] == "unavailable"
    assert time.monotonic() - started < 2.0
