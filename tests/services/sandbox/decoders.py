"""Independent checks of what the sandbox produces, written from the specifications rather than
by calling its code: FEBRABAN boletos, PIX BR Codes (EMV TLV + CRC16-CCITT, through the standard
library's binascii.crc_hqx), and the check digits of CPF, RUT, DNI and NIE."""

import binascii
from dataclasses import dataclass
from datetime import date, timedelta


def _mod10(digits: str) -> int:
    # Multipliers 2, 1, 2, 1... starting from the rightmost digit; sum the digits of products.
    multipliers = [2 if i % 2 == 0 else 1 for i in range(len(digits))][::-1]
    total = sum(sum(divmod(int(d) * m, 10)) for d, m in zip(digits, multipliers, strict=True))
    return 0 if total % 10 == 0 else 10 - total % 10


def _mod11_general(digits: str) -> int:
    weights = [2, 3, 4, 5, 6, 7, 8, 9]
    total = 0
    for i, d in enumerate(digits[::-1]):
        total += int(d) * weights[i % 8]
    dv = 11 - (total % 11)
    return 1 if dv > 9 else dv  # 10 and 11 (and a would-be 0) are written as 1


@dataclass(frozen=True)
class DecodedBoleto:
    bank: str
    due_date: date
    amount_cents: int
    free_field: str


def decode_boleto(barcode: str, digitable_line: str, *, around: date) -> DecodedBoleto:
    """Check both forms against each other and their check digits; `around` picks the due
    date's count (before or after the factor's restart of 2025-02-22) nearest to that day."""
    assert len(barcode) == 44 and barcode.isdigit(), barcode
    assert len(digitable_line) == 47 and digitable_line.isdigit(), digitable_line
    assert barcode[3] == "9", "currency: real"
    assert int(barcode[4]) == _mod11_general(barcode[:4] + barcode[5:]), "general check digit"
    f1, f2, f3 = digitable_line[0:10], digitable_line[10:21], digitable_line[21:32]
    for field in (f1, f2, f3):
        assert int(field[-1]) == _mod10(field[:-1]), f"field check digit of {field}"
    rebuilt = f1[:4] + digitable_line[32] + digitable_line[33:47] + f1[4:9] + f2[:10] + f3[:10]
    assert rebuilt == barcode, "the line and the barcode carry the same data"
    factor = int(barcode[5:9])
    assert factor >= 1000
    candidates = [
        date(1997, 10, 7) + timedelta(days=factor),
        date(2025, 2, 22) + timedelta(days=factor - 1000),
    ]
    due = min(candidates, key=lambda day: abs((day - around).days))
    return DecodedBoleto(
        bank=barcode[:3], due_date=due, amount_cents=int(barcode[9:19]), free_field=barcode[19:]
    )


def parse_tlv(payload: str) -> list[tuple[str, str]]:
    fields, index = [], 0
    while index < len(payload):
        tag, length = payload[index : index + 2], int(payload[index + 2 : index + 4])
        value = payload[index + 4 : index + 4 + length]
        assert len(value) == length, f"field {tag} is cut short"
        fields.append((tag, value))
        index += 4 + length
    return fields


def decode_pix(code: str) -> dict[str, str]:
    """Field id → value of a BR Code, after checking its CRC (CRC-16/CCITT-FALSE: polynomial
    0x1021, initial 0xFFFF, over everything up to and including "6304")."""
    assert code.isascii() and code[-8:-4] == "6304", "ends with the CRC field"
    crc = binascii.crc_hqx(code[:-4].encode("ascii"), 0xFFFF)
    assert f"{crc:04X}" == code[-4:], "CRC16"
    fields = dict(parse_tlv(code))
    assert fields["00"] == "01", "payload format indicator"
    merchant = dict(parse_tlv(fields["26"]))
    assert merchant["00"].lower() == "br.gov.bcb.pix"
    fields["key"] = merchant["01"]
    fields["txid"] = dict(parse_tlv(fields["62"]))["05"]
    return fields


def valid_cpf(cpf: str) -> bool:
    if len(cpf) != 11 or not cpf.isdigit() or cpf == cpf[0] * 11:
        return False
    for size in (9, 10):
        total = sum(int(cpf[i]) * (size + 1 - i) for i in range(size))
        expected = (total * 10 % 11) % 10
        if expected != int(cpf[size]):
            return False
    return True


def valid_rut(rut: str) -> bool:
    body, dv = rut[:-1], rut[-1]
    if not body.isdigit():
        return False
    factor, total = 2, 0
    for d in reversed(body):
        total += int(d) * factor
        factor = 2 if factor == 7 else factor + 1
    expected = {10: "K", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    return dv == expected


def valid_dni_or_nie(document: str) -> bool:
    number = document[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
    return number.isdigit() and "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == document[-1]
