"""The plans and what each covers: the same for every market (the sandbox is one insurer)."""

from dataclasses import dataclass

from sandbox.coverage.enums import Contract, Tier


@dataclass(frozen=True)
class PlanSpec:
    code: str
    name: str
    tier: Tier
    contract: Contract
    copayment: bool


PLANS = (
    PlanSpec("BRONZE-IND", "Acolhe Bronze", Tier.BRONZE, Contract.INDIVIDUAL, copayment=True),
    PlanSpec("BRONZE-EMP", "Acolhe Bronze Empresarial", Tier.BRONZE, Contract.COMPANY, True),
    PlanSpec("PRATA-IND", "Acolhe Prata", Tier.PRATA, Contract.INDIVIDUAL, copayment=True),
    PlanSpec("PRATA-EMP", "Acolhe Prata Empresarial", Tier.PRATA, Contract.COMPANY, True),
    PlanSpec("OURO-IND", "Acolhe Ouro", Tier.OURO, Contract.INDIVIDUAL, copayment=True),
    PlanSpec("OURO-EMP", "Acolhe Ouro Empresarial", Tier.OURO, Contract.COMPANY, copayment=False),
)


@dataclass(frozen=True)
class ItemSpec:
    name_pt: str
    name_es: str
    # More words a search finds it by, beyond its two names.
    synonyms: str
    category: str
    requires_authorization: bool
    # Individual plans. Lei 9.656/98, art. 12, V: at most 24 hours for urgency and emergency, 180
    # days for the rest (300 for childbirth). Company plans have none (see waiting_days).
    waiting_days: int
    copayment_percent: int
    # Bronze plans are outpatient only (segmentação ambulatorial, Lei 9.656/98, art. 12, I): no
    # admissions.
    outpatient: bool = True
    # False for what no plan covers (Lei 9.656/98, art. 10).
    covered: bool = True


ITEMS = (
    ItemSpec(
        "Consulta médica",
        "Consulta médica",
        "clinico geral pediatra ginecologista medico general",
        "basic_consultation",
        False,
        30,
        20,
    ),
    ItemSpec(
        "Consulta com especialista",
        "Consulta con especialista",
        "cardiologista dermatologista ortopedista cardiologo traumatologo",
        "specialist_consultation",
        False,
        30,
        20,
    ),
    ItemSpec(
        "Exames de sangue",
        "Análisis de sangre",
        "hemograma glicemia colesterol analitica laboratorio",
        "lab_test",
        False,
        30,
        20,
    ),
    ItemSpec(
        "Raio-X", "Radiografía", "raio x radiografia rayos x", "diagnostic_therapy", False, 30, 20
    ),
    ItemSpec(
        "Ultrassonografia",
        "Ecografía",
        "ultrassom ecografia ultrasonido",
        "diagnostic_therapy",
        False,
        30,
        20,
    ),
    ItemSpec("Fisioterapia", "Fisioterapia", "kinesiologia", "diagnostic_therapy", True, 90, 30),
    ItemSpec(
        "Psicoterapia", "Psicoterapia", "psicologo psicologa", "diagnostic_therapy", True, 90, 30
    ),
    ItemSpec(
        "Ressonância magnética",
        "Resonancia magnética",
        "ressonancia resonancia rm",
        "high_complexity",
        True,
        180,
        30,
    ),
    ItemSpec(
        "Tomografia computadorizada",
        "Tomografía computarizada",
        "tomografia tac",
        "high_complexity",
        True,
        180,
        30,
    ),
    ItemSpec("Quimioterapia", "Quimioterapia", "", "high_complexity", True, 180, 0),
    ItemSpec(
        "Internação eletiva",
        "Hospitalización programada",
        "internacao ingreso hospitalizacion",
        "elective_admission",
        True,
        180,
        0,
        outpatient=False,
    ),
    ItemSpec(
        "Cirurgia eletiva",
        "Cirugía programada",
        "cirurgia cirugia operacao operacion",
        "elective_admission",
        True,
        180,
        0,
        outpatient=False,
    ),
    ItemSpec(
        "Pronto-socorro",
        "Urgencias",
        "pronto socorro urgencia emergencia guardia",
        "urgency",
        False,
        1,
        0,
    ),
    ItemSpec(
        "Cirurgia estética",
        "Cirugía estética",
        "estetica plastica botox",
        "aesthetic",
        True,
        0,
        0,
        covered=False,
    ),
)


def waiting_days(item: ItemSpec, contract: Contract) -> int:
    # Company plans with 30 or more lives may not impose waiting periods (ANS RN 195/2009,
    # art. 6, since consolidated into RN 557/2022: check the current text); the sandbox's company
    # plans are all of that size.
    return 0 if contract is Contract.COMPANY else item.waiting_days


def covers(item: ItemSpec, tier: Tier) -> bool:
    return item.covered and (item.outpatient or tier is not Tier.BRONZE)
