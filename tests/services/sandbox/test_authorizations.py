"""Asking for an authorization: the insurer's rules answer at once (approved, urgent review or
elective review with the ANS deadline), a plan's exclusions are refused, and a retried request
with the same Idempotency-Key is the same request."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import update

from sandbox.members.models import Member
from sandbox.sql import Sessions
from tests.services.sandbox.conftest import Clock


async def authorize(
    api: httpx.AsyncClient, member_id: str = "M0001", *, key: str | None = None, **body: object
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return await api.post(f"/v1/members/{member_id}/authorizations", json=body, headers=headers)


async def test_urgent_lab_test_for_a_child_is_approved_at_once(api: httpx.AsyncClient) -> None:
    response = await authorize(
        api,
        procedure="exames de sangue",
        beneficiary="child",
        beneficiary_name="Pedro",
        urgency="urgent",
        contact_protocol="00000020261118000001",
    )

    assert response.status_code == 201
    request = response.json()
    assert request["number"].startswith("AUT-2026-")
    assert request["status"] == "approved"
    assert request["authorization_number"] and request["authorization_number"].isdigit()
    assert request["next_step"] == "schedule"
    assert (request["beneficiary"], request["beneficiary_name"]) == ("child", "Pedro")
    assert (request["ans_category"], request["ans_max_business_days"]) == ("urgency", 0)
    assert request["promised_date"] == "2026-11-18"
    assert request["opened_at"] == "2026-11-18T12:00:00-03:00"
    assert [entry["status"] for entry in request["history"]] == ["received", "approved"]
    assert request["history"][-1]["note"].startswith("Autorizado")
    # The member can find it by its number afterwards.
    found = await api.get(f"/v1/members/M0001/requests/{request['number']}")
    assert found.json() == request


async def test_urgent_high_complexity_goes_to_immediate_review(api: httpx.AsyncClient) -> None:
    response = await authorize(api, procedure="Tomografia de crânio", urgency="emergency")

    assert response.status_code == 201
    request = response.json()
    assert request["status"] == "in_review"
    assert request["next_step"] == "await_review"
    assert request["authorization_number"] is None
    assert (request["ans_category"], request["ans_max_business_days"]) == ("urgency", 0)
    assert request["promised_date"] == "2026-11-18"


async def test_elective_promised_date_skips_weekends_and_the_national_holiday(
    api: httpx.AsyncClient,
) -> None:
    response = await authorize(
        api,
        procedure="hemograma completo",
        urgency="elective",
        provider_name="Laboratório Paulista",
        scheduled_for="2026-11-30",
        attachments=["att-1", "att-2"],
    )

    request = response.json()
    assert response.status_code == 201
    assert request["status"] == "in_review"
    assert (request["ans_category"], request["ans_max_business_days"]) == ("lab_test", 3)
    # Wednesday 18 + 3 business days: Thursday 19, (Friday 20 a holiday, the weekend), Monday
    # 23, Tuesday 24.
    assert request["promised_date"] == "2026-11-24"
    assert request["provider_name"] == "Laboratório Paulista"
    assert request["scheduled_for"] == "2026-11-30"


async def test_spain_counts_its_own_holidays(api: httpx.AsyncClient, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)  # Friday, in Madrid too

    response = await authorize(api, "M0004", procedure="análisis de sangre", urgency="elective")

    # Monday 7, (Tuesday 8: Immaculate Conception), Wednesday 9, Thursday 10.
    assert response.json()["promised_date"] == "2026-12-10"
    assert response.json()["history"][0]["note"] == "Hemos recibido su solicitud."


async def test_what_the_plan_does_not_cover_is_a_422(api: httpx.AsyncClient) -> None:
    refused = [
        ("M0001", "cirurgia estética no nariz"),  # no plan covers aesthetic procedures
        ("M0004", "Botox"),
        ("M0003", "cirugía de rodilla"),  # Camila's bronze plan covers no admissions
    ]
    for member_id, procedure in refused:
        response = await authorize(api, member_id, procedure=procedure, urgency="elective")

        assert response.status_code == 422, procedure
        assert response.json()["detail"]["code"] == "not_covered"
        listed = await api.get(f"/v1/members/{member_id}/requests?limit=50")
        assert procedure.lower() not in str(listed.json()).lower()


async def test_a_waiting_period_stops_the_urgent_approval(
    api: httpx.AsyncClient, sessions: Sessions
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Member).where(Member.id == "M0001").values(plan_since=date(2026, 11, 8))
        )

    response = await authorize(api, procedure="exame de sangue", urgency="urgent")

    assert response.json()["status"] == "in_review"
    assert response.json()["authorization_number"] is None


async def test_a_procedure_no_keyword_knows_is_reviewed_never_auto_approved(
    api: httpx.AsyncClient,
) -> None:
    urgent = await authorize(api, procedure="aquilo que o médico pediu", urgency="urgent")
    elective = await authorize(api, procedure="aquilo que o médico pediu", urgency="elective")

    assert urgent.json()["status"] == "in_review"
    assert elective.json()["status"] == "in_review"
    assert elective.json()["ans_category"] == "diagnostic_therapy"
    assert elective.json()["ans_max_business_days"] == 10


async def test_the_same_idempotency_key_is_the_same_request(
    api: httpx.AsyncClient, clock: Clock
) -> None:
    body = {"procedure": "ultrassom do abdome", "urgency": "elective"}
    first = await authorize(api, key="retry-me-1", **body)
    again = await authorize(api, key="retry-me-1", **body)
    other_key = await authorize(api, key="retry-me-2", **body)
    other_member = await authorize(api, "M0002", key="retry-me-1", **body)
    clock.now += timedelta(hours=25)
    a_day_later = await authorize(api, key="retry-me-1", **body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert other_key.status_code == other_member.status_code == a_day_later.status_code == 201
    numbers = {
        response.json()["number"] for response in (first, other_key, other_member, a_day_later)
    }
    assert len(numbers) == 4
    listed = await api.get("/v1/members/M0001/requests?kind=authorization&limit=50")
    assert [r["title"] for r in listed.json()["requests"]].count("Ultrassom do abdome") == 3


async def test_retries_racing_with_one_key_create_one_request(api: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(
        *(
            authorize(api, key="racing-key", procedure="raio-x do tórax", urgency="elective")
            for _ in range(6)
        )
    )

    assert sorted(response.status_code for response in responses) == [200] * 5 + [201]
    assert len({response.json()["number"] for response in responses}) == 1


async def test_bad_bodies_are_refused_with_a_reason(api: httpx.AsyncClient) -> None:
    bodies: list[dict[str, object]] = [
        {"procedure": "x" * 201, "urgency": "elective"},
        {"procedure": "exame\u0000de sangue", "urgency": "elective"},
        {"procedure": "exame", "urgency": "soon"},
        {"procedure": "exame"},
        {"procedure": "exame", "urgency": "elective", "scheduled_for": "2026-02-30"},
        {"procedure": "exame", "urgency": "elective", "beneficiary": "cousin"},
        {"procedure": "exame", "urgency": "elective", "attachments": ["a b"]},
        {"procedure": "exame", "urgency": "elective", "attachments": ["a"] * 21},
        {"procedure": "exame", "urgency": "elective", "contact_protocol": "123"},
        {"procedure": ["exame"], "urgency": "elective"},
    ]
    for body in bodies:
        response = await authorize(api, **body)

        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"][0] == "body"


async def test_emoji_and_accents_are_welcome(api: httpx.AsyncClient) -> None:
    response = await authorize(
        api, procedure="🩺 Consulta com cardiologista, por favor 🙏", urgency="elective"
    )

    assert response.status_code == 201
    assert response.json()["title"] == "🩺 Consulta com cardiologista, por favor 🙏"
    assert response.json()["ans_category"] == "specialist_consultation"


async def test_an_oversized_body_or_key_is_refused(api: httpx.AsyncClient) -> None:
    huge = await api.post(
        "/v1/members/M0001/authorizations",
        content=b'{"procedure": "' + b"x" * 70_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    spaced_key = await authorize(api, key="two words", procedure="exame", urgency="elective")

    assert huge.status_code == 413
    assert spaced_key.status_code == 422


async def test_unknown_member(api: httpx.AsyncClient) -> None:
    response = await authorize(api, "M9999", procedure="exame", urgency="elective")

    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "unknown_member"
