"""What the web chat says on its own, when the bot cannot: pt-BR first, then es, in one bubble."""

BOT_DELAYED = (
    "Recebi sua mensagem 👍 Estou um pouco lento agora, mas já vou responder.\n\n"
    "Recibí tu mensaje 👍 Estoy un poco lento ahora, pero ya te respondo."
)

MESSAGE_NOT_KEPT = (
    "Desculpe, não consegui receber sua mensagem agora. Por favor, envie de novo "
    "em alguns instantes.\n\n"
    "Disculpa, no pude recibir tu mensaje ahora. Por favor, envíalo de nuevo en unos instantes."
)

MESSAGE_TOO_LONG = (
    "Sua mensagem ficou longa demais para mim (até {limit} caracteres). "
    "Pode dividi-la em partes menores?\n\n"
    "Tu mensaje es demasiado largo para mí (hasta {limit} caracteres). "
    "¿Puedes dividirlo en partes más cortas?"
)
