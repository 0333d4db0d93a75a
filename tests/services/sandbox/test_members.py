"""Members and identity: a person is the member whose document, birth date and phone all match;
anything else is the same no-match, whichever field was wrong."""

import httpx
from sqlalchemy import select

from sandbox.members.models import Member
from sandbox.sql import Sessions
from tests.services.sandbox.decoders import valid_cpf, valid_dni_or_nie, valid_rut

ANA = {"document": "529.982.247-25", "birth_date": "1985-03-14", "phone": "+5511987654321"}


async def test_ana_is_found_by_her_document_birth_date_and_phone(api: httpx.AsyncClient) -> None:
    spellings: list[dict[str, str | None]] = [
        {},
        {"document": "52998224725"},
        {"document": " 529 982 247 25 "},
        {"phone": "+55 (11) 98765-4321"},
        {"phone": None},  # the web chat has no phone
    ]
    for changes in spellings:
        response = await api.post("/v1/members/verify", json=ANA | changes)

        assert response.status_code == 200, changes
        assert response.json()["member"] == {
            "id": "M0001",
            "first_name": "Ana",
            "full_name": "Ana Souza Lima",
            "market": "BR",
            "language": "pt",
            "document_type": "cpf",
            "document_masked": "***.***.247-25",
            "birth_date": "1985-03-14",
            "phone_masked": "+55 11 *****-4321",
            "card_number": "0012345678901234",
            "plan": {
                "code": "OURO-IND",
                "name": "Acolhe Ouro",
                "tier": "ouro",
                "contract": "individual",
                "copayment": True,
            },
        }


async def test_chilean_spanish_and_other_brazilian_members(api: httpx.AsyncClient) -> None:
    cases = [
        (
            {"document": "12.345.678-5", "birth_date": "1988-11-30", "phone": "+56912345678"},
            ("M0003", "es", "**.***.678-5"),
        ),
        ({"document": "12345678-5", "birth_date": "1988-11-30"}, ("M0003", "es", "**.***.678-5")),
        (
            {"document": "12345678z", "birth_date": "1979-05-21", "phone": "+34612345678"},
            ("M0004", "es", "*****678Z"),
        ),
        (
            {"document": "111.444.777-35", "birth_date": "1990-07-02", "phone": "+5521912345678"},
            ("M0002", "pt", "***.***.777-35"),
        ),
    ]
    for body, expected in cases:
        response = await api.post("/v1/members/verify", json=body)

        assert response.status_code == 200, body
        member = response.json()["member"]
        assert (member["id"], member["language"], member["document_masked"]) == expected


async def test_anything_wrong_is_the_same_no_match(api: httpx.AsyncClient) -> None:
    wrong: list[dict[str, str]] = [
        {"birth_date": "1985-03-15"},  # wrong birth date
        {"phone": "+5511987654320"},  # someone else's phone
        {"document": "111.444.777-35"},  # another member's document (Bruno)
        {"document": "529.982.247-26"},  # malformed: a wrong check digit
        {"document": "abc"},
        {"document": "🙂"},
    ]
    for changes in wrong:
        response = await api.post("/v1/members/verify", json=ANA | changes)

        assert response.status_code == 404, changes
        assert response.json() == {"detail": {"code": "no_match", "message": "no member matches"}}


async def test_bad_input_is_refused_with_a_reason(api: httpx.AsyncClient) -> None:
    bodies = [
        ANA | {"birth_date": "1985-02-30"},
        ANA | {"birth_date": "14/03/1985"},
        ANA | {"document": "5" * 100},
        ANA | {"document": "529\u000098224725"},
        {"document": "52998224725"},
    ]
    for body in bodies:
        response = await api.post("/v1/members/verify", json=body)

        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"][0] == "body"
    malformed = await api.post(
        "/v1/members/verify",
        content=b'{"document": "52998224725", ',
        headers={"Content-Type": "application/json"},
    )
    assert malformed.status_code == 422


async def test_an_unknown_member_is_a_404(api: httpx.AsyncClient) -> None:
    for member_id in ["M9999", "M0001x", "M..1", "m0001", "M%00", "M0001%0A"]:
        response = await api.get(f"/v1/members/{member_id}")

        assert response.status_code == 404, member_id
        assert response.json()["detail"]["code"] == "unknown_member"


async def test_every_demo_member_has_a_valid_document_and_phone(
    api: httpx.AsyncClient, sessions: Sessions
) -> None:
    async with sessions() as session:
        members = list(await session.scalars(select(Member).order_by(Member.id)))
    checks = {"cpf": valid_cpf, "rut": valid_rut, "dni": valid_dni_or_nie, "nie": valid_dni_or_nie}
    assert len(members) == 24
    assert {member.market for member in members} == {"BR", "CL", "ES"}
    for member in members:
        assert checks[member.document_type](member.document), member.id
        prefix = {"BR": "+55", "CL": "+56", "ES": "+34"}[member.market]
        assert member.phone.startswith(prefix) and member.phone[1:].isdigit(), member.id
        # Each one verifies with what a person would type.
        found = await api.post(
            "/v1/members/verify",
            json={"document": member.document, "birth_date": member.birth_date.isoformat()},
        )
        assert found.json()["member"]["id"] == member.id
