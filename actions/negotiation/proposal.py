"""What a member proposes in their own words: "posso pagar 100 por mês", "em 6 vezes", "à vista",
"prefiro o dia 10", "¿en 6 cuotas?", "la segunda".

Read from the text itself (numbers in words first become digits, text2num), because the
amounts, counts and days a member writes are many and the classifier only says that it is a
proposal. What cannot be read stays None: the dialogue then asks, it never guesses.
"""

import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from actions.words import fold, mentions, vocabulary

# "6x", "6 vezes", "6 parcelas", "6 cuotas", "6 meses".
_COUNT = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*(?:x|vez|vezes|parcelas?|prestac\w*|cuotas?|pagos|meses)\b"
)
# "dia 10", "todo dia 5", "el día 15" (folded: "dia").
_PAYDAY = re.compile(r"\bdia\s+(\d{1,2})\b(?!\s*/)")
# "a 2ª", "la 1ª", "opção 3", "opción 2", "o primeiro".
_PICK = re.compile(r"(?:\b(\d)\s*(?:ª|º|\.ª|\.º)|\bop(?:cao|cion)\s*(\d)\b)")
# "R$ 1.234,56", "1234,56", "100", "45.000", "100 euros".
_AMOUNT = re.compile(r"(?<![\d/])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?(?![\d/])")
# A pick by ordinal alone must be short ("a segunda", "la primera"): in a longer message
# "segunda" is more likely Monday.
_SHORT_PICK_WORDS = 3


@dataclass(frozen=True)
class Proposal:
    installments: int | None = None  # "em 6 vezes"
    monthly_cents: int | None = None  # "100 por mês"
    lump_cents: int | None = None  # "quito com 800 à vista"
    payday: int | None = None  # "dia 10"
    pick: int | None = None  # "a segunda", "opção 2": an offer shown, counted from 1

    @property
    def empty(self) -> bool:
        return self == Proposal()


def read_proposal(text: str, language: str) -> Proposal:
    plain = alpha2digit(fold(text), language if language in ("pt", "es") else "pt", threshold=0)
    pick = _pick(plain)
    payday = _first_int(_PAYDAY, plain, 1, 31)
    installments = _first_int(_COUNT, plain, 1, 99)
    if installments is None and mentions(text, vocabulary("single_payment")):
        installments = 1
    # What is left once counts, days and picks are out is money.
    rest = _PICK.sub(" ", _PAYDAY.sub(" ", _COUNT.sub(" ", plain)))
    amount = _amount_cents(rest)
    monthly = lump = None
    if amount is not None:
        if installments == 1:
            lump = amount
        elif installments is not None or mentions(text, vocabulary("per_month")):
            monthly = amount
        else:
            monthly = amount  # "consigo 300": what fits in a month
    return Proposal(
        installments=installments,
        monthly_cents=monthly,
        lump_cents=lump,
        payday=payday,
        pick=pick,
    )


def _pick(plain: str) -> int | None:
    match = _PICK.search(plain)
    if match is None:
        return None
    explicit = match.group(2) is not None
    if not explicit and len(plain.split()) > _SHORT_PICK_WORDS:
        return None
    number = int(match.group(1) or match.group(2))
    return number if 1 <= number <= 9 else None


def _first_int(pattern: re.Pattern[str], plain: str, low: int, high: int) -> int | None:
    for match in pattern.finditer(plain):
        number = int(match.group(1))
        if low <= number <= high:
            return number
    return None


def _amount_cents(plain: str) -> int | None:
    """The largest amount written: "200 reais", "R$ 1.234,56", "45.000" (whole units x 100)."""
    amounts = [
        int(whole.replace(".", "")) * 100 + int((cents or "0").ljust(2, "0"))
        for whole, cents in _AMOUNT.findall(plain)
    ]
    amounts = [a for a in amounts if a > 0]
    return max(amounts) if amounts else None
