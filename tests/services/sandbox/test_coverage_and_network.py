"""What a plan covers and where: searches ignore accents and case, answer in the member's
language, and keep to the member's plan network."""

from datetime import date, timedelta

import httpx
from sqlalchemy import update

from sandbox.members.models import Member
from sandbox.sql import Sessions


async def coverage(api: httpx.AsyncClient, member_id: str, q: str) -> list[dict]:
    response = await api.get(f"/v1/members/{member_id}/coverage", params={"q": q})
    assert response.status_code == 200
    matches: list[dict] = response.json()["matches"]
    return matches


async def test_an_mri_is_covered_for_ana(api: httpx.AsyncClient) -> None:
    for q in ["ressonancia", "RESSONÂNCIA", "Ressonância magnética", "resso", "rm"]:
        assert await coverage(api, "M0001", q) == [
            {
                "name": "Ressonância magnética",
                "category": "high_complexity",
                "covered": True,
                "requires_authorization": True,
                "waiting_period_ends": None,
                "copayment_percent": 30,
            }
        ], q


async def test_answers_in_the_members_language_and_plan(api: httpx.AsyncClient) -> None:
    camila = await coverage(api, "M0003", "resonancia")
    admission = await coverage(api, "M0003", "hospitalización")
    aesthetic = await coverage(api, "M0001", "estetica")
    diego = await coverage(api, "M0004", "resonancia")

    assert [m["name"] for m in camila] == ["Resonancia magnética"]
    # Camila's bronze plan is outpatient only.
    assert admission[0]["name"] == "Hospitalización programada"
    assert admission[0]["covered"] is False
    assert aesthetic[0]["covered"] is False
    # Diego's company plan has no co-payment.
    assert diego[0]["copayment_percent"] == 0


async def test_nothing_known_is_an_empty_list(api: httpx.AsyncClient) -> None:
    for q in ["xyzzy", "🙂", "%", "_", "ologia"]:
        assert await coverage(api, "M0001", q) == [], q


async def test_a_running_waiting_period_is_told(api: httpx.AsyncClient, sessions: Sessions) -> None:
    since = date(2026, 11, 8)
    async with sessions() as session, session.begin():
        await session.execute(update(Member).where(Member.id == "M0001").values(plan_since=since))

    mri = await coverage(api, "M0001", "ressonancia")
    consultation = await coverage(api, "M0001", "consulta medica")

    assert mri[0]["waiting_period_ends"] == str(since + timedelta(days=180))
    assert consultation[0]["waiting_period_ends"] == str(since + timedelta(days=30))


async def test_bad_coverage_queries(api: httpx.AsyncClient) -> None:
    for query in ["", "?q=", "?q=" + "x" * 101, "?q=a%00b"]:
        assert (await api.get(f"/v1/members/M0001/coverage{query}")).status_code == 422, query


async def providers(api: httpx.AsyncClient, **params: object) -> list[dict]:
    response = await api.get("/v1/providers", params=params)
    assert response.status_code == 200
    found: list[dict] = response.json()["providers"]
    return found


async def test_providers_by_specialty_and_city(api: httpx.AsyncClient) -> None:
    found = await providers(api, market="BR", q="cardiologia", city="sao paulo")

    assert [p["name"] for p in found] == ["Hospital São Lucas", "Dra. Mariana Costa"]
    hospital = found[0]
    assert hospital["emergency"] is True
    assert hospital["kind"] == "hospital"
    assert hospital["city"] == "São Paulo"
    assert "Cardiologia" in hospital["specialties"]
    assert set(hospital) == {
        "id", "name", "kind", "specialties", "city", "address", "phone", "emergency"
    }  # fmt: skip


async def test_a_members_plan_network_only(api: httpx.AsyncClient) -> None:
    everyone = await providers(api, market="CL", limit=50)
    camila = await providers(api, member_id="M0003", limit=50)  # bronze, Chile
    camila_mri = await providers(api, member_id="M0003", q="resonancia")
    ana_mri = await providers(api, member_id="M0001", q="ressonância")

    assert {p["name"] for p in everyone} >= {"Clínica Los Andes", "Clínica Biobío"}
    assert {p["name"] for p in camila} < {p["name"] for p in everyone}
    assert "Clínica Los Andes" not in {p["name"] for p in camila}
    assert camila_mri == []
    assert {p["name"] for p in ana_mri} == {"Hospital São Lucas", "Centro de Imagem Guanabara"}


async def test_provider_searches(api: httpx.AsyncClient) -> None:
    cases: list[tuple[dict[str, str], set[str]]] = [
        (
            {"market": "ES", "city": "VALÈNCIA"},
            {"Hospital Levante", "Diagnóstico por Imagen Turia"},
        ),
        ({"market": "", "q": "kinesiologia"}, {"Centro de Kinesiología Viña"}),
        ({"q": "🙂"}, set()),
        ({"market": "BR", "q": "laboratorio", "city": "Belo Horizonte"}, {"Laboratório Horizonte"}),
    ]
    for params, names in cases:
        assert {p["name"] for p in await providers(api, limit=50, **params)} == names, params


async def test_bad_provider_queries(api: httpx.AsyncClient) -> None:
    cases = [("?market=AR", 422), ("?member_id=M9999", 404), ("?limit=0", 422), ("?city=a%00", 422)]
    for query, status in cases:
        assert (await api.get(f"/v1/providers{query}")).status_code == status, query
