"""The PIX "copia e cola" code: a static BR Code (EMV TLV with CRC16-CCITT), made by pixcanvas,
whose core has no dependencies and also parses and checks codes."""

from decimal import Decimal

from pixcanvas import create_static_pix

from sandbox.rules import PixSettings


def pix_copy_paste(*, pix: PixSettings, amount_cents: int, txid: str) -> str:
    """`txid`: up to 25 letters and digits; the insurer's reference for reconciling the payment."""
    code = create_static_pix(
        pix_key=pix.key,
        merchant_name=pix.merchant_name,
        merchant_city=pix.merchant_city,
        amount=Decimal(amount_cents) / 100,
        txid=txid,
    )
    return str(code.br_code)
