"""Public routes, without the API key: what members' browsers open from a payment link, and the
PIX QR image Twilio fetches to send it. Base URL: SANDBOX_PUBLIC_URL.

- GET /pay/{token}: the checkout page; POST /pay/{token}: pays by card and confirms;
- GET /pay/{token}/pix.png: the QR code of the installment's PIX copy-and-paste code (Brazil).

The token (secrets.token_urlsafe, one per installment) is the only secret: an unknown one is 404.
"""

import io
from typing import Annotated

import segno
from fastapi import APIRouter, BackgroundTasks, Path, Response, status
from fastapi.responses import HTMLResponse

from sandbox import markets
from sandbox.collections import checkout_page
from sandbox.collections.delivery import confirm_then_push
from sandbox.collections.enums import PaymentMethod
from sandbox.collections.models import Installment
from sandbox.collections.payment_options import installment_pix_code
from sandbox.collections.payments import (
    AlreadyPaid,
    UnknownReference,
    installment_for_token,
)
from sandbox.markets import Market
from sandbox.members.models import Member
from sandbox.runtime import RuntimeDep, SandboxRuntime

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


async def _installment(runtime: SandboxRuntime, token: Token) -> tuple[Installment, Member] | None:
    """The installment the link leads to and its member; None for an unknown token."""
    async with runtime.sessions() as session:
        try:
            return await installment_for_token(session, token)
        except UnknownReference:
            return None


@router.get("/{token}", response_class=HTMLResponse, summary="The card checkout page")
async def checkout(token: Token, runtime: RuntimeDep) -> HTMLResponse:
    found = await _installment(runtime, token)
    if found is None:
        return HTMLResponse(_NOT_FOUND, status.HTTP_404_NOT_FOUND, headers=_PRIVATE)
    installment, member = found
    return _page(installment, member, "paid" if installment.paid_at else "due")


@router.post("/{token}", response_class=HTMLResponse, summary="Pay by card (simulated)")
async def pay_by_card(
    token: Token, runtime: RuntimeDep, background: BackgroundTasks
) -> HTMLResponse:
    found = await _installment(runtime, token)
    if found is None:
        return HTMLResponse(_NOT_FOUND, status.HTTP_404_NOT_FOUND, headers=_PRIVATE)
    installment, member = found
    try:
        await confirm_then_push(
            runtime, background, reference=installment.id, method=PaymentMethod.CARD
        )
    except AlreadyPaid:
        return _page(installment, member, "paid")
    return _page(installment, member, "confirmed")


def _payable_by_pix(installment: Installment, member: Member) -> bool:
    return installment.paid_at is None and Market(member.market) is Market.BR


@router.get(
    "/{token}/pix.png",
    response_class=Response,
    summary="The PIX QR code of an unpaid Brazilian installment",
    responses={200: {"content": {"image/png": {}}}, 404: {"description": "unknown or paid"}},
)
async def pix_qr(token: Token, runtime: RuntimeDep) -> Response:
    found = await _installment(runtime, token)
    if found is None or not _payable_by_pix(*found):
        return Response(status_code=status.HTTP_404_NOT_FOUND, headers=_PRIVATE)
    installment, _ = found
    code = installment_pix_code(installment, billing=runtime.rules.billing)
    image = io.BytesIO()
    segno.make(code, error="m", micro=False).save(
        image, kind="png", scale=QR_SCALE, border=QR_BORDER
    )
    return Response(image.getvalue(), media_type="image/png", headers=_PRIVATE)
