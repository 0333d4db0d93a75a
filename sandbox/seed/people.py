"""The demo's members: the four that tests and demos use (docs/insurer-api.md, "Demo data"), and
more made by a fixed random generator, with valid documents, across the three markets."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sandbox import documents
from sandbox.documents import DocumentType
from sandbox.markets import Market


@dataclass(frozen=True)
class Person:
    id: str
    first_name: str
    full_name: str
    market: Market
    document_type: DocumentType
    document: str  # compact
    birth_date: date
    phone: str
    card_number: str
    plan_code: str
    # How long ago the plan started; a few recent members are still in waiting periods.
    plan_age_days: int


NAMED = (
    Person(
        "M0001",
        "Ana",
        "Ana Souza Lima",
        Market.BR,
        DocumentType.CPF,
        "52998224725",
        date(1985, 3, 14),
        "+5511987654321",
        "0012345678901234",
        "OURO-IND",
        6 * 365,
    ),
    Person(
        "M0002",
        "Bruno",
        "Bruno Almeida Santos",
        Market.BR,
        DocumentType.CPF,
        "11144477735",
        date(1990, 7, 2),
        "+5521912345678",
        "0012345678905678",
        "PRATA-IND",
        3 * 365,
    ),
    Person(
        "M0003",
        "Camila",
        "Camila Rojas Fuentes",
        Market.CL,
        DocumentType.RUT,
        "123456785",
        date(1988, 11, 30),
        "+56912345678",
        "0056123456789012",
        "BRONZE-IND",
        4 * 365,
    ),
    Person(
        "M0004",
        "Diego",
        "Diego García López",
        Market.ES,
        DocumentType.DNI,
        "12345678Z",
        date(1979, 5, 21),
        "+34612345678",
        "0034123456789012",
        "OURO-EMP",
        8 * 365,
    ),
)

# The generator's fixed seed: the same people every time.
GENERATOR_SEED = 20261124
GENERATED_COUNT = 20
# Every n-th generated member joined weeks ago: waiting periods still run for them.
RECENT_EVERY = 6

_FIRST_NAMES = {
    Market.BR: (
        "Beatriz",
        "Carlos",
        "Fernanda",
        "Gabriel",
        "Juliana",
        "Lucas",
        "Mariana",
        "Rafael",
        "Patrícia",
        "Thiago",
        "Larissa",
        "Eduardo",
        "Camila",
        "João",
    ),
    Market.CL: (
        "Valentina",
        "Matías",
        "Catalina",
        "Benjamín",
        "Francisca",
        "Vicente",
        "Constanza",
        "Tomás",
        "Isidora",
        "Joaquín",
    ),
    Market.ES: (
        "Lucía",
        "Hugo",
        "Martina",
        "Pablo",
        "Sofía",
        "Álvaro",
        "Carmen",
        "Javier",
        "Elena",
        "Sergio",
    ),
}
_SURNAMES = {
    Market.BR: (
        "Silva",
        "Oliveira",
        "Pereira",
        "Costa",
        "Rodrigues",
        "Ferreira",
        "Carvalho",
        "Gomes",
        "Ribeiro",
        "Martins",
        "Araújo",
        "Barbosa",
        "Rocha",
        "Mendes",
    ),
    Market.CL: (
        "González",
        "Muñoz",
        "Rojas",
        "Díaz",
        "Pérez",
        "Soto",
        "Contreras",
        "Silva",
        "Martínez",
        "Sepúlveda",
        "Morales",
        "Fuentes",
    ),
    Market.ES: (
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
    ),
}
_BR_AREA_CODES = ("11", "21", "31", "41", "51", "61", "71", "81")
_PLAN_CODES = ("BRONZE-IND", "BRONZE-EMP", "PRATA-IND", "PRATA-EMP", "OURO-IND", "OURO-EMP")
# 10 Brazilian members, 5 Chilean, 5 Spanish.
_MARKET_CYCLE = (Market.BR, Market.BR, Market.CL, Market.BR, Market.ES)


def _document(rng: random.Random, market: Market) -> tuple[DocumentType, str]:
    if market is Market.BR:
        base = f"{rng.randrange(10**8, 10**9):09d}"
        return DocumentType.CPF, base + documents.cpf_check_digits(base)
    if market is Market.CL:
        body = str(rng.randrange(8_000_000, 26_000_000))
        return DocumentType.RUT, body + documents.rut_check_digit(body)
    if rng.random() < 0.3:
        prefix, digits = rng.choice("XYZ"), f"{rng.randrange(10**7):07d}"
        return DocumentType.NIE, prefix + digits + documents.nie_letter(prefix, digits)
    number = f"{rng.randrange(10**7, 10**8):08d}"
    return DocumentType.DNI, number + documents.dni_letter(number)


def _phone(rng: random.Random, market: Market) -> str:
    if market is Market.BR:
        return f"+55{rng.choice(_BR_AREA_CODES)}9{rng.randrange(10**8):08d}"
    if market is Market.CL:
        return f"+569{rng.randrange(10**8):08d}"
    return f"+346{rng.randrange(10**8):08d}"


def generated_people() -> list[Person]:
    """The same 20 people on every run (a fixed seed, nothing depends on the day)."""
    rng = random.Random(GENERATOR_SEED)  # noqa: S311  (reproducible on purpose)
    people: list[Person] = []
    taken = {person.document for person in NAMED}
    for index in range(GENERATED_COUNT):
        market = _MARKET_CYCLE[index % len(_MARKET_CYCLE)]
        first = rng.choice(_FIRST_NAMES[market])
        surnames = rng.sample(_SURNAMES[market], 2)
        document_type, document = _document(rng, market)
        while document in taken:
            document_type, document = _document(rng, market)
        taken.add(document)
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(55 * 365))
        phone = _phone(rng, market)
        card = f"00{rng.randrange(10**14):014d}"
        plan = rng.choice(_PLAN_CODES)
        recent = index % RECENT_EVERY == RECENT_EVERY - 1
        plan_age = rng.randrange(10, 60) if recent else rng.randrange(400, 10 * 365)
        people.append(
            Person(
                id=f"M{index + len(NAMED) + 1:04d}",
                first_name=first,
                full_name=f"{first} {' '.join(surnames)}",
                market=market,
                document_type=document_type,
                document=document,
                birth_date=birth,
                phone=phone,
                card_number=card,
                plan_code=plan,
                plan_age_days=plan_age,
            )
        )
    return people
