"""What the gateway says on WhatsApp by itself, in the member's language."""

TEXTS: dict[str, dict[str, str]] = {
    "opted_out": {
        "pt": (
            "Pronto, você não vai mais receber nossos avisos por aqui. Se precisar de nós, é só "
            "escrever: continuamos à disposição. Para voltar a receber os avisos, envie VOLTAR."
        ),
        "es": (
            "Listo, ya no recibirás nuestros avisos por aquí. Si nos necesitas, solo escríbenos: "
            "seguimos a tu disposición. Para volver a recibir los avisos, envía VOLVER."
        ),
    },
    "opted_in": {
        "pt": "Que bom ter você de volta! Você voltará a receber nossos avisos por aqui. 😊",
        "es": "¡Qué bueno tenerte de vuelta! Volverás a recibir nuestros avisos por aquí. 😊",
    },
    "unsupported_media": {
        "pt": (
            "Ainda não consigo abrir esse tipo de mensagem. Pode me escrever em texto? "
            "Fotos e PDFs (como um pedido médico ou um recibo) eu recebo, sim."
        ),
        "es": (
            "Todavía no puedo abrir este tipo de mensaje. ¿Me lo puedes escribir? "
            "Fotos y PDF (como una orden médica o un recibo) sí los recibo."
        ),
    },
    "file_too_large": {
        "pt": "Esse arquivo é grande demais para mim (até {limit_mb} MB). Pode enviar um menor?",
        "es": (
            "Este archivo es demasiado grande para mí (hasta {limit_mb} MB). "
            "¿Puedes enviar uno más pequeño?"
        ),
    },
    "file_unavailable": {
        "pt": "Não consegui abrir o arquivo que você enviou. Pode enviar de novo, por favor?",
        "es": "No pude abrir el archivo que enviaste. ¿Puedes enviarlo de nuevo, por favor?",
    },
    "bot_delayed": {
        "pt": "Recebi sua mensagem 👍 Estou um pouco lento agora, mas já vou responder.",
        "es": "Recibí tu mensaje 👍 Estoy un poco lento ahora, pero ya te respondo.",
    },
}


def say(key: str, language: str | None, **values: object) -> str:
    by_language = TEXTS[key]
    text = by_language.get(language or "pt", by_language["pt"])
    return text.format(**values) if values else text
