"""The worker's reminders feed: installments falling due with consent and channel, claimed once
per installment and offset, and their outcome."""

import httpx

from tests.services.sandbox.agreement_terms import bruno_agreement

FEED = "/v1/collections/installments"


async def test_the_feed_claims_and_outcomes(api: httpx.AsyncClient) -> None:
    agreement = await bruno_agreement(api)
    first, second = (item["id"] for item in agreement["installments"])

    november = (await api.get(f"{FEED}?due_from=2026-11-20&due_to=2026-11-30")).json()
    both = (await api.get(f"{FEED}?due_from=2026-11-01&due_to=2026-12-31")).json()

    assert [item["installment_id"] for item in november["installments"]] == [first]
    assert [item["installment_id"] for item in both["installments"]] == [first, second]
    assert november["installments"][0] == {
        "installment_id": first,
        "agreement_id": agreement["id"],
        "member_id": "M0002",
        "market": "BR",
        "language": "pt",
        "due_date": "2026-11-25",
        "amount_cents": 56048,
        "currency": "BRL",
        "status": "pending",
        "consent": False,
        "channel": "whatsapp",
        "conversation_id": "wa-5521912345678",
        "reminders": [],
    }

    await api.put(
        f"/v1/members/M0002/agreements/{agreement['id']}/reminders",
        json={"consent": True, "channel": "whatsapp"},
    )
    claimed = await api.post(f"{FEED}/{first}/reminders", json={"offset_days": -3})
    twice = await api.post(f"{FEED}/{first}/reminders", json={"offset_days": -3})
    other_offset = await api.post(f"{FEED}/{first}/reminders", json={"offset_days": 0})
    outcome = await api.patch(
        f"{FEED}/{first}/reminders/-3", json={"outcome": "sent", "message_id": 42, "detail": None}
    )
    (target,) = (await api.get(f"{FEED}?due_from=2026-11-25&due_to=2026-11-25")).json()[
        "installments"
    ]

    assert claimed.status_code == 201 and claimed.json()["outcome"] == "pending"
    assert twice.status_code == 409 and twice.json()["detail"]["code"] == "already_claimed"
    assert other_offset.status_code == 201
    assert outcome.status_code == 200
    assert (outcome.json()["outcome"], outcome.json()["message_id"]) == ("sent", 42)
    assert target["consent"] is True
    assert target["reminders"] == [
        {"offset_days": -3, "outcome": "sent"},
        {"offset_days": 0, "outcome": "pending"},
    ]

    await api.post("/v1/payments", json={"reference": first, "method": "pix"})
    paid_gone = (await api.get(f"{FEED}?due_from=2026-11-25&due_to=2026-11-25")).json()
    assert paid_gone["installments"] == []


async def test_bad_feed_requests(api: httpx.AsyncClient) -> None:
    backwards = await api.get(f"{FEED}?due_from=2026-12-01&due_to=2026-11-01")
    missing = await api.get(FEED)
    not_a_date = await api.get(f"{FEED}?due_from=😀&due_to=2026-11-01")
    unknown = await api.post(f"{FEED}/AGR-2026-999999-01/reminders", json={"offset_days": -3})
    huge = await api.post(f"{FEED}/{'A' * 500}/reminders", json={"offset_days": -3})
    far = await api.post(f"{FEED}/AGR-2026-999999-01/reminders", json={"offset_days": 10**6})
    unclaimed = await api.patch(f"{FEED}/AGR-2026-999999-01/reminders/-3", json={"outcome": "sent"})
    bad_outcome = await api.patch(
        f"{FEED}/AGR-2026-999999-01/reminders/-3", json={"outcome": "pending"}
    )

    assert backwards.status_code == 422
    assert backwards.json()["detail"]["code"] == "invalid_range"
    assert (missing.status_code, not_a_date.status_code) == (422, 422)
    assert unknown.status_code == 404
    assert unknown.json()["detail"]["code"] == "unknown_installment"
    assert (huge.status_code, far.status_code) == (422, 422)
    assert unclaimed.status_code == 404
    assert unclaimed.json()["detail"]["code"] == "unknown_reminder"
    assert bad_outcome.status_code == 422
