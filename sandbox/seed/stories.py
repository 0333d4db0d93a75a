"""What each demo member has: the four named ones as docs/insurer-api.md tells, the generated
ones from the fixed random generator. Titles and notes in the member's language; co-payments name
the kind of service only."""

import random

from sandbox import markets
from sandbox.billing.enums import InvoiceKind, ServiceKind
from sandbox.coverage.enums import Tier
from sandbox.markets import Language, Market
from sandbox.members.models import Member
from sandbox.requests.enums import MissingDocument, RequestKind
from sandbox.rules import Rules
from sandbox.seed.writer import Step, Writer

AUT, REE, SIN = RequestKind.AUTHORIZATION, RequestKind.REIMBURSEMENT, RequestKind.CLAIM
FEE = InvoiceKind.MONTHLY_FEE

# Monthly fees by market and tier, in cents (CLP: whole pesos × 100).
MONTHLY_FEES = {
    Market.BR: {Tier.BRONZE: 39990, Tier.PRATA: 54990, Tier.OURO: 89990},
    Market.CL: {Tier.BRONZE: 4_500_000, Tier.PRATA: 6_500_000, Tier.OURO: 9_500_000},
    Market.ES: {Tier.BRONZE: 4990, Tier.PRATA: 7990, Tier.OURO: 11990},
}


def named_stories(writer: Writer, rules: Rules) -> None:
    members = writer.members
    _ana(writer, members["M0001"], rules)
    _bruno(writer, members["M0002"])
    _camila(writer, members["M0003"])
    _diego(writer, members["M0004"], rules)


def _ana(writer: Writer, ana: Member, rules: Rules) -> None:
    # A reimbursement promised in 48 hours, 5 days ago, and still not paid.
    writer.request(
        ana,
        kind=REE,
        title="Reembolso de consulta particular",
        steps=[
            Step("received", 5, 10, 12),
            Step("in_review", 5, 16, 40, note="documents_checked_48h"),
        ],
        promised_date=writer.day(3),
        amount_cents=45000,
        provider_name="Clínica Vida Plena",
    )
    # An elective MRI in review, within its ANS deadline.
    opened = 3
    writer.request(
        ana,
        kind=AUT,
        title="Ressonância magnética do joelho",
        steps=[Step("received", opened, 9, 30), Step("in_review", opened, 11, 5)],
        urgency="elective",
        promised_date=markets.add_business_days(
            ana.market, writer.day(opened), rules.deadline("high_complexity")
        ),
        ans_category="high_complexity",
        ans_max_business_days=rules.deadline("high_complexity"),
        provider_name="Hospital São Lucas",
    )
    fee = MONTHLY_FEES[Market.BR][Tier.OURO]
    writer.invoice(ana, kind=FEE, due_in_days=-25, amount_cents=fee, paid_days_ago=27)
    this_month = writer.invoice(ana, kind=FEE, due_in_days=5, amount_cents=fee)
    writer.copayment(
        ana,
        days_ago=20,
        service_kind=ServiceKind.CONSULTATION,
        provider_name="Clínica Vida Plena",
        amount_cents=4500,
        invoice=this_month,
    )


def _bruno(writer: Writer, bruno: Member) -> None:
    fee = MONTHLY_FEES[Market.BR][Tier.PRATA]
    writer.invoice(bruno, kind=FEE, due_in_days=-70, amount_cents=fee, paid_days_ago=71)
    writer.invoice(bruno, kind=FEE, due_in_days=-40, amount_cents=fee)
    writer.invoice(bruno, kind=FEE, due_in_days=-10, amount_cents=fee)
    writer.request(
        bruno,
        kind=REE,
        title="Reembolso de sessões de fisioterapia",
        steps=[
            Step("received", 30, 8, 45),
            Step("in_review", 29, 14, 0),
            Step("approved", 25, 9, 30, note="approved_payment"),
            Step("paid", 18, 11, 0),
        ],
        promised_date=writer.day(20),
        amount_cents=25000,
        provider_name="Clínica Carioca de Fisioterapia",
    )


def _camila(writer: Writer, camila: Member) -> None:
    # Promised for tomorrow: the moment to warn before a promise is broken.
    writer.request(
        camila,
        kind=REE,
        title="Reembolso de consulta médica",
        steps=[Step("received", 9, 12, 20), Step("in_review", 8, 10, 0)],
        promised_date=writer.day(-1),
        amount_cents=3_500_000,
        provider_name="Centro Médico Providencia",
    )
    fee = MONTHLY_FEES[Market.CL][Tier.BRONZE]
    writer.invoice(camila, kind=FEE, due_in_days=-23, amount_cents=fee, paid_days_ago=24)
    writer.invoice(camila, kind=FEE, due_in_days=7, amount_cents=fee)
    # An unpaid co-payment bill: the debt to negotiate in Chile (or to dispute).
    copayment_bill = writer.invoice(
        camila, kind=InvoiceKind.COPAYMENT, due_in_days=-12, amount_cents=1_250_000
    )
    writer.copayment(
        camila,
        days_ago=35,
        service_kind=ServiceKind.EXAM,
        provider_name="Centro Médico Providencia",
        amount_cents=1_250_000,
        invoice=copayment_bill,
    )


def _diego(writer: Writer, diego: Member, rules: Rules) -> None:
    opened = 12
    writer.request(
        diego,
        kind=AUT,
        title="Resonancia magnética de hombro",
        steps=[
            Step("received", opened, 17, 15),
            Step("in_review", opened - 1, 9, 0),
            Step("approved", 4, 13, 30, note="approved_authorization"),
        ],
        urgency="elective",
        promised_date=markets.add_business_days(
            diego.market, writer.day(opened), rules.deadline("high_complexity")
        ),
        ans_category="high_complexity",
        ans_max_business_days=rules.deadline("high_complexity"),
        provider_name="Hospital San Rafael",
        scheduled_for=writer.day(-6),
    )
    writer.request(
        diego,
        kind=SIN,
        title="Atención de urgencia fuera de la red",
        steps=[Step("received", 6, 19, 40), Step("in_review", 5, 10, 15, note="claim_review")],
        promised_date=writer.day(6 - 30),
        amount_cents=32000,
        provider_name="Clínica Mediterránea",
    )
    fee = MONTHLY_FEES[Market.ES][Tier.OURO]
    writer.invoice(diego, kind=FEE, due_in_days=-58, amount_cents=fee, paid_days_ago=60)
    # Last month's fee unpaid: the debt to negotiate in Spain.
    writer.invoice(diego, kind=FEE, due_in_days=-28, amount_cents=fee)
    writer.invoice(diego, kind=FEE, due_in_days=3, amount_cents=fee)


# Titles a generated request may have: (pt, es, ANS category for authorizations).
_AUTHORIZATIONS = (
    ("Ressonância magnética da coluna", "Resonancia magnética de columna", "high_complexity"),
    ("Ultrassonografia do abdome", "Ecografía abdominal", "diagnostic_therapy"),
    ("Sessões de fisioterapia", "Sesiones de fisioterapia", "diagnostic_therapy"),
    ("Exames de sangue de rotina", "Análisis de sangre de rutina", "lab_test"),
    ("Consulta com cardiologista", "Consulta de cardiología", "specialist_consultation"),
    ("Tomografia do tórax", "Tomografía de tórax", "high_complexity"),
    ("Cirurgia no joelho", "Cirugía de rodilla", "elective_admission"),
)
_REIMBURSEMENTS = (
    ("Reembolso de consulta particular", "Reembolso de consulta particular"),
    ("Reembolso de sessões de psicoterapia", "Reembolso de sesiones de psicoterapia"),
    ("Reembolso de exames laboratoriais", "Reembolso de análisis clínicos"),
)
_CLAIMS = (
    ("Atendimento de urgência fora da rede", "Atención de urgencia fuera de la red"),
    ("Despesas de internação", "Gastos de hospitalización"),
)
# Status paths, each step (status, days after opening, note key).
_PATHS = {
    AUT: (
        (("received", 0, ""), ("in_review", 1, "")),
        (("received", 0, ""), ("in_review", 1, ""), ("approved", 4, "approved_authorization")),
        (("received", 0, ""), ("in_review", 1, ""), ("pending_documents", 2, "")),
        (("received", 0, ""), ("in_review", 1, ""), ("denied", 6, "")),
    ),
    REE: (
        (("received", 0, ""), ("in_review", 1, "")),
        (("received", 0, ""), ("pending_documents", 2, "")),
        (("received", 0, ""), ("in_review", 1, ""), ("approved", 5, "approved_payment")),
        (
            ("received", 0, ""),
            ("in_review", 1, ""),
            ("approved", 5, "approved_payment"),
            ("paid", 8, ""),
        ),
    ),
    SIN: (
        (("received", 0, ""), ("in_review", 1, "claim_review")),
        (("received", 0, ""), ("in_review", 1, "claim_review"), ("denied", 9, "")),
    ),
}
_MISSING = {
    AUT: [MissingDocument.RELATORIO_MEDICO],
    REE: [MissingDocument.NOTA_FISCAL, MissingDocument.COMPROVANTE_PAGAMENTO],
}
_COPAYMENT_KINDS = (ServiceKind.CONSULTATION, ServiceKind.EXAM, ServiceKind.THERAPY)


def generated_stories(
    writer: Writer, rules: Rules, rng: random.Random, providers: dict[str, list[str]]
) -> None:
    """For each generated member, in id order: fees for three months, a few requests, and
    co-payments when the plan has them. `providers`: provider names by market."""
    for member in sorted(writer.members.values(), key=lambda m: m.id):
        if member.id in ("M0001", "M0002", "M0003", "M0004"):
            continue
        _generated_member(writer, member, rules, rng, providers[member.market])


def _generated_member(
    writer: Writer, member: Member, rules: Rules, rng: random.Random, providers: list[str]
) -> None:
    market = Market(member.market)
    pt = markets.info(market).language is Language.PT
    fee = MONTHLY_FEES[market][Tier(member.plan.tier)]
    # Two months back, paid or not; this month's still open.
    latest = None
    for months_back in (2, 1, 0):
        due_in = 8 - 30 * months_back
        paid = months_back > 0 and rng.random() < 0.75
        latest = writer.invoice(
            member,
            kind=FEE,
            due_in_days=due_in,
            amount_cents=fee,
            paid_days_ago=(-due_in + 1) if paid else None,
        )
    for _ in range(rng.randrange(0, 4)):
        kind = rng.choice((AUT, AUT, REE, REE, SIN))
        opened = rng.randrange(2, 60)
        path = rng.choice(_PATHS[kind])
        # Later steps at later hours, so that a history stays in order when days coincide.
        steps = [
            Step(
                status,
                max(opened - after, 1),
                8 + 3 * index + rng.randrange(3),
                rng.randrange(60),
                note,
            )
            for index, (status, after, note) in enumerate(path)
        ]
        fields: dict[str, object] = {"provider_name": rng.choice(providers)}
        if steps[-1].status == "pending_documents":
            fields["missing_documents"] = [item.value for item in _MISSING[kind]]
        if kind is AUT:
            # Bronze plans cover no admissions: none is asked for under one here.
            choices = [
                choice
                for choice in _AUTHORIZATIONS
                if not (member.plan.tier == Tier.BRONZE and choice[2] == "elective_admission")
            ]
            title_pt, title_es, category = rng.choice(choices)
            days = rules.deadline(category)
            fields |= {
                "urgency": "elective",
                "ans_category": category,
                "ans_max_business_days": days,
                "promised_date": markets.add_business_days(market, writer.day(opened), days),
            }
        else:
            title_pt, title_es = rng.choice(_REIMBURSEMENTS if kind is REE else _CLAIMS)
            unit = 100 if markets.info(market).minor_units else 100_000
            fields |= {
                "amount_cents": rng.randrange(80, 900) * unit,
                # Reimbursements: within 30 days of complete documents (Lei 9.656/98, art. 12, VI).
                "promised_date": writer.day(opened - 30),
            }
        if rng.random() < 0.2:
            fields |= {"beneficiary": "child", "beneficiary_name": "Pedro" if pt else "Sofía"}
        writer.request(member, kind=kind, title=title_pt if pt else title_es, steps=steps, **fields)
    if member.plan.copayment:
        for _ in range(rng.randrange(0, 3)):
            unit = 100 if markets.info(market).minor_units else 10_000
            writer.copayment(
                member,
                days_ago=rng.randrange(5, 40),
                service_kind=rng.choice(_COPAYMENT_KINDS),
                provider_name=rng.choice(providers),
                amount_cents=rng.randrange(15, 120) * unit,
                invoice=latest,
            )
