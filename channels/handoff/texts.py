"""What the gateway tells the member once their handoff is open, in their language."""

from channels.handoff.client import Ticket

QUEUED = {
    "pt": (
        "Pronto! Seu protocolo é {protocol}. Você é a {position}ª pessoa na fila{wait}. Pode "
        "continuar escrevendo por aqui: quem for atender você vai ver toda a conversa."
    ),
    "es": (
        "¡Listo! Tu número de atención es {protocol}. Eres la persona {position} en la fila"
        "{wait}. Puedes seguir escribiendo por aquí: quien te atienda verá toda la conversación."
    ),
}
WAIT = {
    "pt": ", e a espera deve ser de uns {minutes} min",
    "es": ", y la espera será de unos {minutes} min",
}
RED = {
    "pt": (
        "Seu protocolo é {protocol}. Uma pessoa da nossa equipe de saúde vai falar com você em "
        "instantes, por aqui mesmo."
    ),
    "es": (
        "Tu número de atención es {protocol}. Una persona de nuestro equipo de salud te escribirá "
        "en instantes, por aquí mismo."
    ),
}
CLOSED = {
    "pt": (
        "Seu protocolo é {protocol}. Nossa equipe não está atendendo agora; a partir de "
        "{opening}, a primeira pessoa disponível continua esta conversa com você. Se for uma "
        "emergência, ligue 192 ou vá ao pronto-socorro."
    ),
    "es": (
        "Tu número de atención es {protocol}. Nuestro equipo no está atendiendo ahora; desde el "
        "{opening}, la primera persona disponible seguirá esta conversación contigo. Si es una "
        "emergencia, llama al 112 en España o al 131 en Chile, o ve a urgencias."
    ),
}
WEEKDAYS = {
    "pt": ["segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}


def ticket_text(ticket: Ticket, language: str | None) -> str:
    lang = language if language in QUEUED else "pt"
    if ticket.priority == "red":
        return RED[lang].format(protocol=ticket.protocol)
    if not ticket.humans_available and ticket.next_opening_at is not None:
        opening = ticket.next_opening_at
        when = f"{WEEKDAYS[lang][opening.weekday()]} {opening:%d/%m}, {opening:%H:%M}"
        return CLOSED[lang].format(protocol=ticket.protocol, opening=when)
    minutes = ticket.expected_wait_minutes
    wait = WAIT[lang].format(minutes=max(minutes, 1)) if minutes else ""
    return QUEUED[lang].format(protocol=ticket.protocol, position=ticket.position, wait=wait)
