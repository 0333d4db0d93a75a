"""A duplicate bill (segunda via): the amount and due date it has now, and how to pay it.

An open bill keeps its amount and due date. An overdue one is reissued due a few days ahead
(rules.yml `billing.duplicate_due_in_days`, moved to a business day) with the late fees the
contract allows up to that day. Brazil pays by boleto or PIX; Chile and Spain by a payment link.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.billing.boleto import free_field_bank_001, make_boleto
from sandbox.billing.enums import InvoiceStatus
from sandbox.billing.late_fees import late_charges
from sandbox.billing.models import Invoice
from sandbox.billing.pix import pix_copy_paste
from sandbox.billing.schemas import BoletoView, Duplicate, PixView
from sandbox.billing.service import invoice_view, member_invoice
from sandbox.billing.status import invoice_status
from sandbox.markets import Market
from sandbox.members.models import Member
from sandbox.rules import Billing
from sandbox.text import compact_code

# "Nosso número" complements count days from here (see _our_number_complement).
_OUR_NUMBER_EPOCH = date(2000, 1, 1)


class AlreadyPaid(Exception):
    """A paid invoice has nothing to pay again."""


@dataclass(frozen=True)
class Terms:
    amount_cents: int
    due_date: date


def terms_today(invoice: Invoice, *, member: Member, billing: Billing, today: date) -> Terms:
    if invoice.due_date >= today:
        return Terms(amount_cents=invoice.amount_cents, due_date=invoice.due_date)
    due = markets.business_day_on_or_after(
        member.market, today + timedelta(days=billing.duplicate_due_in_days)
    )
    charges = late_charges(
        invoice.amount_cents,
        days_late=(due - invoice.due_date).days,
        fees=billing.late_fees[Market(member.market)],
        minor_units=markets.info(member.market).minor_units,
    )
    return Terms(amount_cents=invoice.amount_cents + charges.total_cents, due_date=due)


def _our_number_complement(invoice: Invoice, due: date) -> str:
    # One boleto per invoice and due date: the invoice's number (6 digits) and the due day (4).
    # A reissue with another due date is another boleto with its own number.
    number = int("".join(char for char in invoice.id if char.isdigit()) or 0) % 1_000_000
    return f"{number:06d}{(due - _OUR_NUMBER_EPOCH).days % 10_000:04d}"


async def duplicate(
    session: AsyncSession, *, member: Member, invoice_id: str, billing: Billing, today: date
) -> Duplicate:
    """Raises UnknownInvoice or AlreadyPaid."""
    invoice = await member_invoice(session, member=member, invoice_id=invoice_id)
    if invoice_status(invoice, today) is InvoiceStatus.PAID:
        raise AlreadyPaid(invoice_id)
    terms = terms_today(invoice, member=member, billing=billing, today=today)
    boleto = pix = link = None
    if Market(member.market) is Market.BR:
        made = make_boleto(
            bank_code=billing.boleto.bank_code,
            free_field=free_field_bank_001(
                agreement=billing.boleto.agreement,
                our_number_complement=_our_number_complement(invoice, terms.due_date),
                wallet=billing.boleto.wallet,
            ),
            due=terms.due_date,
            amount_cents=terms.amount_cents,
        )
        boleto = BoletoView(digitable_line=made.digitable_line, barcode=made.barcode)
        txid = f"{compact_code(invoice.id)}{terms.due_date:%Y%m%d}"
        pix = PixView(
            copy_paste=pix_copy_paste(pix=billing.pix, amount_cents=terms.amount_cents, txid=txid),
            txid=txid,
        )
    else:
        link = f"{billing.payment_link_base}/{invoice.id}/{terms.due_date.isoformat()}"
    return Duplicate(
        invoice=invoice_view(invoice, member, today),
        amount_cents=terms.amount_cents,
        due_date=terms.due_date,
        boleto=boleto,
        pix=pix,
        payment_link=link,
    )
