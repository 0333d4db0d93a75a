"""How an unpaid installment can be paid: in Brazil a PIX code (with a public QR image) and a
boleto for its amount and due date; in every market the public card checkout page. All three
lead to the same installment, by its id (the PIX txid, the boleto's "nosso número") or by its
checkout token (the link)."""

from sandbox.billing.boleto import free_field_bank_001, make_boleto
from sandbox.billing.pix import pix_copy_paste
from sandbox.collections.models import Installment
from sandbox.collections.schemas import BoletoPayment, Payment, PixPayment
from sandbox.markets import Market
from sandbox.rules import Billing
from sandbox.text import compact_code


def checkout_url(public_url: str, installment: Installment) -> str:
    return f"{public_url}/pay/{installment.pay_token}"


def pix_txid(installment: Installment) -> str:
    """AGR-2026-000001-01 → AGR202600000101: up to 25 letters and digits."""
    return compact_code(installment.id)


def installment_pix_code(installment: Installment, *, billing: Billing) -> str:
    return pix_copy_paste(
        pix=billing.pix, amount_cents=installment.amount_cents, txid=pix_txid(installment)
    )


def _our_number_complement(installment: Installment) -> str:
    # 10 digits: the agreement's year (2) and sequence (6), and the installment's number (2).
    digits = compact_code(installment.id)[3:]  # 202600000101
    return digits[2:]


def payment_options(
    installment: Installment, *, market: str, billing: Billing, public_url: str
) -> Payment:
    link = checkout_url(public_url, installment)
    if Market(market) is not Market.BR:
        return Payment(pix=None, boleto=None, payment_link=link)
    boleto = make_boleto(
        bank_code=billing.boleto.bank_code,
        free_field=free_field_bank_001(
            agreement=billing.boleto.agreement,
            our_number_complement=_our_number_complement(installment),
            wallet=billing.boleto.wallet,
        ),
        due=installment.due_date,
        amount_cents=installment.amount_cents,
    )
    return Payment(
        pix=PixPayment(
            copy_paste=installment_pix_code(installment, billing=billing),
            txid=pix_txid(installment),
            qr_url=f"{link}/pix.png",
        ),
        boleto=BoletoPayment(digitable_line=boleto.digitable_line, barcode=boleto.barcode),
        payment_link=link,
    )
