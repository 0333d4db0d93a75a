"""Public routes, without the API key: what members' browsers open from a payment link, and the
PIX QR image Twilio fetches to send it. Base URL: SANDBOX_PUBLIC_URL.

- GET /pay/{token}: the checkout page; POST /pay/{token}: pays by card and confirms;
- GET /pay/{token}/pix.png: the QR code of the installment's PIX copy-and-paste code (Brazil).

The token (secrets.token_urlsafe, one per installment) is the only secret: an unknown one is 404.
"""

import io
import logging
from typing import Annotated

import segno
from fastapi import APIRouter, BackgroundTasks, Path, Response, status
from fastapi.responses import HTMLResponse

from sandbox import markets
from sandbox.collections import checkout_page
from sandbox.collections.delivery import deliver
from sandbox.collections.enums import PaymentMethod
from sandbox.collections.models import Installment
from sandbox.collections.payment_options import installment_pix_code
from sandbox.collections.payments import (
    AlreadyPaid,
    UnknownReference,
    confirm_payment,
    installment_for_token,
)
from sandbox.markets import Market
from sandbox.members.models import Member
from sandbox.runtime import RuntimeDep

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/pay", tags=["checkout"])

Token = Annotated[str, Path(max_length=64)]
# Pages and images for one person's link: never cached or passed on as a referrer.
_PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
_NOT_FOUND = "<!doctype html><title>404</title><p>Not found / Não encontrado / No encontrado</p>"
QR_SCALE = 8
QR_BORDER = 4


def _page(installment: Installment, member: Member, state: str) -> HTMLResponse:
    html = checkout_page.render(
        language=markets.info(member.market).language,
        reference=installment.id,
        amount_cents=installment.amount_cents,
        currency=installment.currency,
        due_date=installment.due_date,
        state=state,
    )
    return HTMLResponse(html, headers=_PRIVATE)


@router.get("/{token}", response_class=HTMLResponse, summary="The card checkout page")
async def checkout(token: Token, runtime: RuntimeDep) -> HTMLResponse:
    async with runtime.sessions() as session:
        try:
            installment, member = await installment_for_token(session, token)
        except UnknownReference:
            return HTMLResponse(_NOT_FOUND, status.HTTP_404_NOT_FOUND, headers=_PRIVATE)
    return _page(installment, member, "paid" if installment.paid_at else "due")


@router.post("/{token}", response_class=HTMLResponse, summary="Pay by card (simulated)")
async def pay_by_card(
    token: Token, runtime: RuntimeDep, background: BackgroundTasks
) -> HTMLResponse:
    async with runtime.sessions() as session:
        try:
            installment, member = await installment_for_token(session, token)
        except UnknownReference:
            return HTMLResponse(_NOT_FOUND, status.HTTP_404_NOT_FOUND, headers=_PRIVATE)
    try:
        confirmed = await confirm_payment(
            runtime.sessions,
            reference=installment.id,
            method=PaymentMethod.CARD,
            billing=runtime.rules.billing,
            now=runtime.now(),
        )
    except AlreadyPaid:
        return _page(installment, member, "paid")
    background.add_task(deliver, runtime, confirmed.event_number)
    logger.info("payment confirmed", extra={"reference": installment.id, "method": "card"})
    return _page(installment, member, "confirmed")


@router.get(
    "/{token}/pix.png",
    response_class=Response,
    summary="The PIX QR code of an unpaid Brazilian installment",
    responses={200: {"content": {"image/png": {}}}, 404: {"description": "unknown or paid"}},
)
async def pix_qr(token: Token, runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        try:
            installment, member = await installment_for_token(session, token)
        except UnknownReference:
            installment = None
    if installment is None or installment.paid_at or Market(member.market) is not Market.BR:
        return Response(status_code=status.HTTP_404_NOT_FOUND, headers=_PRIVATE)
    code = installment_pix_code(installment, billing=runtime.rules.billing)
    image = io.BytesIO()
    segno.make(code, error="m", micro=False).save(
        image, kind="png", scale=QR_SCALE, border=QR_BORDER
    )
    return Response(image.getvalue(), media_type="image/png", headers=_PRIVATE)
