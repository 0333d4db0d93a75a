"""The history notes a member reads, in their language: plain words, never a diagnosis."""

NOTES: dict[str, dict[str, str]] = {
    "received": {
        "pt": "Recebemos o seu pedido.",
        "es": "Hemos recibido su solicitud.",
    },
    "in_review": {
        "pt": "O pedido está em análise pela nossa equipe.",
        "es": "La solicitud está en revisión por nuestro equipo.",
    },
    "urgent_review": {
        "pt": "Pedido urgente: a equipe médica está analisando agora.",
        "es": "Solicitud urgente: el equipo médico la está revisando ahora.",
    },
    "urgent_approved": {
        "pt": "Autorizado na hora por ser urgente. Já pode ser atendido.",
        "es": "Autorizada al momento por ser urgente. Ya puede recibir la atención.",
    },
    "follow_up": {
        "pt": "Você pediu notícias deste pedido (protocolo {protocol}). Avisamos a equipe.",
        "es": "Nos pidió noticias de esta solicitud (protocolo {protocol}). Avisamos al equipo.",
    },
    "follow_up_no_protocol": {
        "pt": "Você pediu notícias deste pedido. Avisamos a equipe.",
        "es": "Nos pidió noticias de esta solicitud. Avisamos al equipo.",
    },
    # The demo's histories (sandbox/seed) also use these.
    "documents_checked_48h": {
        "pt": "Documentos conferidos. Pagamento previsto em até 48 horas.",
        "es": "Documentos revisados. Pago previsto en 48 horas.",
    },
    "pending_documents": {
        "pt": "Faltam documentos para seguir. Envie os que estão na lista.",
        "es": "Faltan documentos para continuar. Envíe los que están en la lista.",
    },
    "approved_authorization": {
        "pt": "Autorizado. Já pode agendar com o prestador.",
        "es": "Autorizada. Ya puede pedir cita con el centro.",
    },
    "approved_payment": {
        "pt": "Aprovado. O pagamento está programado.",
        "es": "Aprobada. El pago está programado.",
    },
    "paid": {
        "pt": "Pagamento feito na sua conta.",
        "es": "Pago realizado en su cuenta.",
    },
    "denied": {
        "pt": "Não foi possível aprovar pelas regras do plano. Você pode pedir uma revisão.",
        "es": "No fue posible aprobarla según las condiciones del plan. Puede pedir una revisión.",
    },
    "claim_review": {
        "pt": "Estamos analisando as contas do atendimento.",
        "es": "Estamos revisando las facturas de la atención.",
    },
}


def note(key: str, language: str, **values: str) -> str:
    return NOTES[key][language].format(**values)
