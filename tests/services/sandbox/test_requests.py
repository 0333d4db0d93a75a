"""Reading requests: a member's list with histories, and one request by the number the member
quotes, never another member's."""

import asyncio

import httpx


async def ana_requests(api: httpx.AsyncClient, query: str = "") -> list[dict[str, object]]:
    response = await api.get(f"/v1/members/M0001/requests{query}")
    assert response.status_code == 200
    requests: list[dict[str, object]] = response.json()["requests"]
    return requests


async def test_anas_requests_most_recent_first_with_histories(api: httpx.AsyncClient) -> None:
    authorization, reimbursement = await ana_requests(api)

    assert authorization["kind"] == "authorization"
    assert authorization["title"] == "Ressonância magnética do joelho"
    assert authorization["status"] == "in_review"
    assert authorization["next_step"] == "await_review"
    assert authorization["ans_category"] == "high_complexity"
    assert authorization["ans_max_business_days"] == 21
    assert str(authorization["opened_at"]).startswith("2026-11-15T")
    # 21 business days from Sunday the 15th, skipping the 20th (a national holiday).
    assert authorization["promised_date"] == "2026-12-15"
    # The late reimbursement: opened 5 days ago, promised in 48 hours, still in review.
    assert reimbursement["kind"] == "reimbursement"
    assert reimbursement["opened_at"] == "2026-11-13T10:12:00-03:00"
    assert reimbursement["promised_date"] == "2026-11-15"
    assert reimbursement["status"] == "in_review"
    assert reimbursement["urgency"] is None
    assert reimbursement["amount_cents"] == 45000
    assert reimbursement["currency"] == "BRL"
    history = reimbursement["history"]
    assert isinstance(history, list)
    assert [entry["status"] for entry in history] == ["received", "in_review"]
    assert history[0]["at"] < history[1]["at"]
    assert "48 horas" in history[1]["note"]


async def test_kind_filter_and_limit(api: httpx.AsyncClient) -> None:
    cases = [
        ("?kind=reimbursement", ["reimbursement"]),
        ("?kind=authorization&limit=5", ["authorization"]),
        ("?kind=claim", []),
        ("?kind=", ["authorization", "reimbursement"]),  # as a client fills an unset filter
        ("?limit=1", ["authorization"]),
    ]
    for query, kinds in cases:
        assert [request["kind"] for request in await ana_requests(api, query)] == kinds, query
    for query in ["?kind=sinistro", "?limit=0", "?limit=51", "?limit=1e99"]:
        assert (await api.get(f"/v1/members/M0001/requests{query}")).status_code == 422, query


async def test_a_spanish_members_requests_speak_spanish(api: httpx.AsyncClient) -> None:
    response = await api.get("/v1/members/M0004/requests")
    authorization, claim = sorted(response.json()["requests"], key=lambda r: r["kind"])

    assert authorization["status"] == "approved"
    assert authorization["next_step"] == "schedule"
    assert authorization["authorization_number"].isdigit()
    assert authorization["scheduled_for"] == "2026-11-24"
    assert authorization["history"][-1]["note"].startswith("Autorizada")
    assert claim["number"].startswith("SIN-2026-")
    assert claim["currency"] == "EUR"
    assert claim["history"][0]["note"] == "Hemos recibido su solicitud."


async def test_a_request_by_number_with_or_without_dashes(api: httpx.AsyncClient) -> None:
    number = str((await ana_requests(api))[1]["number"])
    assert number.startswith("REE-2026-")

    for spelling in (number, number.lower(), number.replace("-", ""), number.replace("-", " ")):
        response = await api.get(f"/v1/members/M0001/requests/{spelling}")
        assert response.status_code == 200, spelling
        assert response.json()["number"] == number


async def test_another_members_number_is_unknown(api: httpx.AsyncClient) -> None:
    bruno = (await api.get("/v1/members/M0002/requests")).json()["requests"]
    assert bruno

    response = await api.get(f"/v1/members/M0001/requests/{bruno[0]['number']}")

    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "unknown_request"


async def test_unknown_numbers(api: httpx.AsyncClient) -> None:
    for number in ["AUT-2026-999999", "XYZ", "💥", "AUT%002026", "a" * 40]:
        response = await api.get(f"/v1/members/M0001/requests/{number}")

        assert response.status_code == 404, number
        assert response.json()["detail"]["code"] == "unknown_request"


async def test_unknown_member(api: httpx.AsyncClient) -> None:
    response = await api.get("/v1/members/M9999/requests")

    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "unknown_member"


async def chase(
    api: httpx.AsyncClient, number: str, member_id: str = "M0001", **body: object
) -> httpx.Response:
    return await api.post(f"/v1/members/{member_id}/requests/{number}/follow-ups", json=body)


async def test_chasing_a_late_request_notes_it_once_per_protocol(api: httpx.AsyncClient) -> None:
    late = (await ana_requests(api, "?kind=reimbursement"))[0]
    number = str(late["number"])
    protocol = "00000020261118000007"

    first = await chase(api, number, contact_protocol=protocol, reason="late")
    again = await chase(api, number.lower().replace("-", ""), contact_protocol=protocol)
    racing = await asyncio.gather(
        *(chase(api, number, contact_protocol="00000020261118000008") for _ in range(4))
    )
    bare = [await chase(api, number) for _ in range(2)]

    assert first.status_code == again.status_code == 200
    chased = first.json()
    assert chased["status"] == "in_review"  # unchanged
    assert chased["history"][:-1] == late["history"]
    assert chased["history"][-1]["status"] == "in_review"
    assert protocol in chased["history"][-1]["note"]
    assert again.json() == chased
    assert {response.status_code for response in racing} == {200}
    final = bare[-1].json()["history"]
    assert len(final) == len(late["history"]) + 3  # one per protocol, one without
    assert sum("00000020261118000008" in entry["note"] for entry in final) == 1
    assert final[-1]["note"] == "Você pediu notícias deste pedido. Avisamos a equipe."


async def test_chasing_what_is_not_the_members(api: httpx.AsyncClient) -> None:
    brunos = (await api.get("/v1/members/M0002/requests")).json()["requests"][0]["number"]

    for number, member_id in [(brunos, "M0001"), ("REE-2026-999999", "M0001"), (brunos, "M9999")]:
        response = await chase(api, number, member_id)
        assert response.status_code == 404, (number, member_id)
    for body in [{"contact_protocol": "123"}, {"reason": "angry"}]:
        assert (await chase(api, brunos, "M0002", **body)).status_code == 422, body
