// The agents' words, in Portuguese (Brazil) and Spanish (Chile and Spain's insurers).
//
// A tiny flat dictionary: t("key", {vars}) fills "{var}" placeholders; label(group, value)
// names a server value ("priority", "red" → "Vermelho") and shows the raw value when the
// dictionary does not know it, so a new reason or skill still shows up, untranslated.
// The choice is kept in localStorage; the default follows the browser (es-* → es, else pt).
// Elements with data-i18n="key" get their text from here; data-i18n-attr="attr:key,..."
// sets attributes (aria-label...).

const STORAGE_KEY = "acolhe.console.language";
const LOCALES = { pt: "pt-BR", es: "es" };

const DICTIONARY = {
  pt: {
    skip: "Pular para o conteúdo",
    noscript: "O console precisa de JavaScript ativado.",
    "brand.console": "Console de atendimento",
    "language.label": "Idioma",
    logout: "Sair",
    "common.cancel": "Cancelar",
    "common.yes": "Sim",
    "common.no": "Não",
    "common.you": "Você",
    "notice.close": "Fechar aviso",

    "login.title": "Entrar no console",
    "login.login": "E-mail",
    "login.password": "Senha",
    "login.submit": "Entrar",
    "login.missing": "Preencha o e-mail e a senha.",
    "login.waitButton": "Aguarde {time}",
    "login.canRetry": "Você já pode tentar entrar de novo.",
    "login.loggedOut": "Você saiu do console.",
    "totp.title": "Código de verificação",
    "totp.explain": "Abra o aplicativo autenticador do seu celular e digite o código de 6 dígitos do Acolhe.",
    "totp.code": "Código de 6 dígitos",
    "totp.submit": "Confirmar",
    "totp.otherAccount": "Entrar com outra conta",
    "totp.format": "O código tem 6 dígitos, só números.",
    "enrol.title": "Proteja sua conta com um segundo fator",
    "enrol.loading": "Preparando o seu código…",
    "enrol.step1": "Instale no celular um aplicativo autenticador (por exemplo FreeOTP, Google Authenticator ou Microsoft Authenticator).",
    "enrol.step2": "No aplicativo, adicione uma conta lendo este código QR:",
    "enrol.orType": "Ou digite esta chave:",
    "enrol.step3": "Digite abaixo o código de 6 dígitos que o aplicativo mostrar.",
    "enrol.submit": "Ativar e entrar",
    "enrol.qrLabel": "Código QR para o aplicativo autenticador",
    "enrol.qrUnavailable": "Não foi possível mostrar o código QR. Digite a chave abaixo no aplicativo.",

    "wait.shortly": "alguns instantes",
    "wait.seconds": "{n} segundos",
    "wait.minute": "1 minuto",
    "wait.minutes": "{n} minutos",

    "reason.wrong_credentials": "E-mail ou senha incorretos. Confira e tente de novo.",
    "reason.wrong_code": "Código incorreto ou já usado. Espere o próximo código do aplicativo e tente de novo.",
    "reason.too_many_attempts": "Muitas tentativas seguidas. Por segurança, espere {wait} e tente de novo.",
    "reason.session_expired": "Sua sessão expirou. Entre de novo para continuar.",
    "reason.not_logged_in": "Sua sessão terminou. Entre de novo para continuar.",
    "reason.second_factor_required": "Falta o código do aplicativo autenticador.",
    "reason.already_logged_in": "Você já entrou.",
    "reason.enrolment_required": "Primeiro, ative o aplicativo autenticador.",
    "reason.already_enrolled": "Já existe um autenticador ativado nesta conta. Se perdeu o celular, peça a um administrador para reiniciá-lo.",
    "reason.no_enrolment_started": "A ativação não começou. Vamos começar de novo.",
    "reason.forbidden_origin": "Abra o console pelo endereço oficial da operadora.",
    "reason.csrf_failed": "Esta página ficou desatualizada. Recarregue a página e tente de novo.",
    "reason.role_required": "Seu perfil não permite esta ação.",
    "reason.weak_password": "A nova senha é fraca demais.",
    "reason.outside_24h_window": "Passaram mais de 24 horas desde a última mensagem do beneficiário no WhatsApp.",
    "reason.opted_out": "O beneficiário pediu para não receber mensagens por este canal.",
    "reason.validation": "Alguns dados não foram aceitos. Confira e tente de novo.",
    "login.reason.not_logged_in": "Esta tentativa de entrada terminou. Entre de novo.",

    "error.generic": "Algo deu errado. Tente de novo.",
    "error.network": "Sem conexão com o servidor. Verifique a rede e tente de novo.",
    "error.server": "O servidor teve um problema. Tente de novo em instantes.",
    "status.400": "O pedido não foi aceito.",
    "status.403": "Você não tem permissão para isso.",
    "status.404": "Não encontrado. Talvez já tenha sido resolvido.",
    "status.409": "A situação mudou enquanto você olhava. A tela foi atualizada.",
    "status.413": "O texto é longo demais.",
    "status.422": "Alguns dados não foram aceitos. Confira e tente de novo.",
    "claim.status.409": "Não foi possível pegar: outra pessoa pegou este atendimento ou você já está no seu limite de conversas.",
    "claim.status.403": "Este atendimento pede uma habilidade que você não tem.",
    "claim.status.404": "Este atendimento não está mais na fila.",
    "claim.done": "Atendimento {protocol} é seu agora.",
    "open.status.404": "Este atendimento não existe mais.",
    "open.status.403": "Você não tem acesso a este atendimento.",
    "reply.status.409": "A resposta não foi enviada: o atendimento mudou (resolvido ou transferido).",
    "reply.status.403": "Só quem está com o atendimento pode responder.",
    "template.status.409": "O convite não pôde ser enviado agora.",
    "notes.status.403": "Você não pode escrever notas neste atendimento.",
    "transfer.status.409": "Não foi possível transferir: o agente está sem capacidade ou offline, ou o atendimento mudou.",
    "transfer.status.403": "Seu perfil não permite esta transferência.",
    "transfer.status.404": "Agente ou atendimento não encontrado.",
    "transfer.status.422": "Escolha uma fila ou um agente válido.",
    "resolve.status.409": "Este atendimento já foi resolvido ou mudou de mãos.",
    "resolve.status.404": "Este atendimento não existe mais.",
    "presence.status.422": "Este status não é aceito pelo servidor.",

    "presence.label": "Seu status",
    "presence.unknown": "— escolha —",
    "presence.online": "Disponível",
    "presence.away": "Ausente",
    "presence.offline": "Offline",
    "presence.changed": "Seu status agora é: {status}.",

    "connection.live": "Ao vivo",
    "connection.connecting": "Conectando…",
    "connection.reconnecting": "Sem conexão ao vivo. Nova tentativa em {seconds} s.",

    "queue.title": "Fila",
    "queue.empty": "Ninguém esperando agora.",
    "queue.failed": "Não foi possível atualizar a fila. {why}",
    "desk.title": "Minha mesa",
    "desk.empty": "Nenhum atendimento com você.",
    "desk.failed": "Não foi possível atualizar a sua mesa. {why}",
    "list.count": "({n})",
    claim: "Pegar",
    "handoff.openProtocol": "Abrir protocolo",
    "handoff.unread": "Nova mensagem",
    "handoff.reasons": "Motivos",

    "clock.waiting": "Esperando há {time}",
    "clock.assigned": "Com você há {time}",
    "sla.ok": "SLA: faltam {time}",
    "sla.near": "SLA quase vencendo: faltam {time}",
    "sla.breached": "SLA estourado há {time}",
    "sla.none": "SLA: sem prazo",

    "alert.slaBreached": "SLA estourado!",
    "alert.protocol": "Protocolo {protocol}",
    "alert.for": "alerta para {audience}",
    "alert.open": "Abrir",
    "alert.dismiss": "Dispensar",
    "alert.dismissLabel": "Dispensar o alerta do protocolo {protocol}",

    "announce.memberMessage": "Nova mensagem do beneficiário: {text}",
    "announce.memberMessages": "{n} novas mensagens do beneficiário.",
    "announce.deskMessage": "Nova mensagem no atendimento {protocol}.",

    "conversation.pane": "Atendimento aberto",
    "conversation.placeholder": "Escolha um atendimento na fila ou na sua mesa.",
    "conversation.loading": "Carregando o atendimento…",
    "conversation.protocol": "Protocolo",
    "conversation.close": "Fechar",
    "conversation.backToQueue": "Voltar para a fila",
    "conversation.withYou": "com você",
    "conversation.withAgent": "com {name}",
    "conversation.gone": "Este atendimento foi encerrado ou não existe mais.",
    "conversation.noLongerYours": "Este atendimento saiu da sua mesa (foi transferido ou resolvido).",
    "conversation.resolved": "Este atendimento foi resolvido e a conversa voltou para o assistente.",

    "summary.title": "Contexto do assistente",
    "summary.none": "O assistente não deixou resumo.",
    "summary.identity": "Identidade",
    "summary.verified": "Verificada",
    "summary.unverified": "Não verificada — confirme antes de falar de dados pessoais",
    "summary.journey": "Assunto",
    "summary.slots": "Dados coletados",
    "summary.signals": "Sinais",
    "summary.lastTurns": "Últimas falas com o assistente",

    "transcript.title": "Conversa",
    "transcript.empty": "Nenhuma mensagem ainda.",
    "transcript.unavailable": "Não foi possível carregar as mensagens do canal agora. Tente de novo em instantes.",
    "author.member": "Beneficiário",
    "author.bot": "Assistente",
    "author.agent": "Agente",
    "author.system": "Sistema",
    "attachment.generic": "Anexo",
    "attachment.described": "Anexo: {what}",

    "notes.title": "Notas privadas",
    "notes.warning": "Só a equipe vê. Nunca são enviadas ao beneficiário.",
    "notes.new": "Nova nota privada",
    "notes.save": "Salvar nota",
    "notes.empty": "Nenhuma nota.",
    "notes.emptyText": "Escreva a nota antes de salvar.",
    "notes.saved": "Nota salva.",

    "canned.label": "Resposta pronta",
    "canned.loading": "Carregando…",
    "canned.choose": "— escolher —",
    "canned.none": "Nenhuma resposta pronta",
    "canned.unavailable": "Respostas prontas indisponíveis.",
    "canned.fill": "Preencha os campos da resposta",
    "reply.label": "Resposta ao beneficiário",
    "reply.hint": "Ctrl+Enter envia. A resposta vai pelo canal do beneficiário.",
    "reply.send": "Enviar",
    "reply.empty": "Escreva a resposta antes de enviar.",
    "reply.fillVariables": "Preencha antes de enviar: {names}.",
    "reply.sent": "Resposta enviada.",
    "reply.locked": "Pegue este atendimento para responder ao beneficiário.",
    "reply.lockedOther": "Este atendimento está com outra pessoa; só ela responde ao beneficiário.",
    "window.closed": "Passaram mais de 24 horas desde a última mensagem do beneficiário, e o WhatsApp só permite enviar um modelo aprovado. Envie o convite para retomar a conversa; quando o beneficiário responder, você poderá escrever livremente. Seu texto continua na caixa.",
    "window.optedOut": "O beneficiário pediu para não receber mensagens por este canal. Não é possível enviar nada por aqui; registre uma nota e siga o procedimento da operadora.",
    "window.sendTemplate": "Enviar convite para retomar a conversa",
    "window.templateSent": "Convite enviado. Quando o beneficiário responder, a janela de 24 horas reabre e você poderá enviar sua resposta.",

    "transfer.button": "Transferir",
    "transfer.title": "Transferir o atendimento",
    "transfer.to": "Para",
    "transfer.toSkill": "Uma fila (habilidade)",
    "transfer.skill": "Habilidade",
    "transfer.toAgent": "Uma pessoa (supervisores)",
    "transfer.agentId": "Número (id) do agente",
    "transfer.agentMissing": "Informe o número do agente.",
    "transfer.confirm": "Transferir",
    "transfer.done": "Atendimento transferido.",

    "resolve.button": "Resolver",
    "resolve.title": "Resolver o atendimento?",
    "resolve.protocol": "Protocolo",
    "resolve.explain": "A conversa volta para o assistente, que pede ao beneficiário uma nota para o atendimento. Você não poderá mais responder por aqui.",
    "resolve.confirm": "Sim, resolver",
    "resolve.done": "Atendimento resolvido. A conversa voltou para o assistente.",

    "timeline.title": "Histórico do atendimento",
    "event.handoff.opened": "Aberto pelo assistente",
    "event.handoff.requested_again": "Pedido de novo pelo assistente",
    "event.handoff.assigned": "Distribuído automaticamente",
    "event.handoff.claimed": "Pego da fila",
    "event.handoff.transferred": "Transferido",
    "event.handoff.agent_replied": "Primeira resposta de um agente",
    "event.handoff.resolved": "Resolvido",
    "event.handoff.sla_breached": "SLA estourado",
    "event.handoff.escalated": "Escalado",

    "priority.red": "Vermelho",
    "priority.yellow": "Amarelo",
    "priority.green": "Verde",
    "urgency.red": "vermelha",
    "urgency.yellow": "amarela",
    "urgency.none": "nenhuma",
    "status.waiting": "Na fila",
    "status.assigned": "Em atendimento",
    "status.resolved": "Resolvido",
    "skill.front_line": "Atendimento geral",
    "skill.technical": "Técnico",
    "skill.clinical": "Clínico",
    "skill.collections": "Cobrança",
    "skill.supervisor": "Supervisão",
    "reason.member_asked": "Pediu uma pessoa",
    "reason.red_urgency": "Urgência clínica",
    "reason.frustration": "Frustração",
    "reason.fallbacks": "Assistente não entendeu",
    "reason.repeated_question": "Pergunta repetida",
    "reason.complaint_threat": "Ameaça de reclamação",
    "reason.backend_failure": "Falha de sistema",
    "reason.identity_failed": "Identificação falhou",
    "channel.whatsapp": "WhatsApp",
    "channel.rest": "API",
    "channel.web": "Web",
    "language.pt": "Português",
    "language.es": "Espanhol",
    "delivery.sending": "enviando…",
    "delivery.queued": "na fila de envio",
    "delivery.sent": "enviada",
    "delivery.delivered": "entregue",
    "delivery.read": "lida",
    "delivery.failed": "falhou",
    "delivery.undelivered": "não entregue",
    "signal.urgency": "Urgência",
    "signal.frustration": "Frustração",
    "variable.name": "Nome",
    "variable.nome": "Nome",
    "variable.protocol": "Protocolo",
    "variable.agent": "Seu nome",
    "variable.agent_name": "Seu nome",
    "variable.date": "Data",
    "variable.due_date": "Vencimento",
    "variable.amount": "Valor",
    "role.agent": "Agente",
    "role.supervisor": "Supervisor(a)",
    "role.admin": "Administrador(a)",
    "audience.team": "a equipe",
    "audience.supervisors": "supervisores",
    "audience.managers": "gestores",
  },
  es: {
    skip: "Saltar al contenido",
    noscript: "La consola necesita JavaScript activado.",
    "brand.console": "Consola de atención",
    "language.label": "Idioma",
    logout: "Salir",
    "common.cancel": "Cancelar",
    "common.yes": "Sí",
    "common.no": "No",
    "common.you": "Tú",
    "notice.close": "Cerrar aviso",

    "login.title": "Entrar a la consola",
    "login.login": "Correo electrónico",
    "login.password": "Contraseña",
    "login.submit": "Entrar",
    "login.missing": "Completa el correo y la contraseña.",
    "login.waitButton": "Espera {time}",
    "login.canRetry": "Ya puedes intentar entrar de nuevo.",
    "login.loggedOut": "Saliste de la consola.",
    "totp.title": "Código de verificación",
    "totp.explain": "Abre la aplicación autenticadora de tu celular y escribe el código de 6 dígitos de Acolhe.",
    "totp.code": "Código de 6 dígitos",
    "totp.submit": "Confirmar",
    "totp.otherAccount": "Entrar con otra cuenta",
    "totp.format": "El código tiene 6 dígitos, solo números.",
    "enrol.title": "Protege tu cuenta con un segundo factor",
    "enrol.loading": "Preparando tu código…",
    "enrol.step1": "Instala en tu celular una aplicación autenticadora (por ejemplo FreeOTP, Google Authenticator o Microsoft Authenticator).",
    "enrol.step2": "En la aplicación, agrega una cuenta leyendo este código QR:",
    "enrol.orType": "O escribe esta clave:",
    "enrol.step3": "Escribe abajo el código de 6 dígitos que muestre la aplicación.",
    "enrol.submit": "Activar y entrar",
    "enrol.qrLabel": "Código QR para la aplicación autenticadora",
    "enrol.qrUnavailable": "No se pudo mostrar el código QR. Escribe la clave de abajo en la aplicación.",

    "wait.shortly": "unos instantes",
    "wait.seconds": "{n} segundos",
    "wait.minute": "1 minuto",
    "wait.minutes": "{n} minutos",

    "reason.wrong_credentials": "Correo o contraseña incorrectos. Revísalos e inténtalo de nuevo.",
    "reason.wrong_code": "Código incorrecto o ya usado. Espera el siguiente código de la aplicación e inténtalo de nuevo.",
    "reason.too_many_attempts": "Demasiados intentos seguidos. Por seguridad, espera {wait} e inténtalo de nuevo.",
    "reason.session_expired": "Tu sesión expiró. Vuelve a entrar para continuar.",
    "reason.not_logged_in": "Tu sesión terminó. Vuelve a entrar para continuar.",
    "reason.second_factor_required": "Falta el código de la aplicación autenticadora.",
    "reason.already_logged_in": "Ya entraste.",
    "reason.enrolment_required": "Primero, activa la aplicación autenticadora.",
    "reason.already_enrolled": "Esta cuenta ya tiene un autenticador activado. Si perdiste el celular, pide a un administrador que lo reinicie.",
    "reason.no_enrolment_started": "La activación no comenzó. Empecemos de nuevo.",
    "reason.forbidden_origin": "Abre la consola desde la dirección oficial de la aseguradora.",
    "reason.csrf_failed": "Esta página quedó desactualizada. Recárgala e inténtalo de nuevo.",
    "reason.role_required": "Tu perfil no permite esta acción.",
    "reason.weak_password": "La nueva contraseña es demasiado débil.",
    "reason.outside_24h_window": "Pasaron más de 24 horas desde el último mensaje del afiliado en WhatsApp.",
    "reason.opted_out": "El afiliado pidió no recibir mensajes por este canal.",
    "reason.validation": "Algunos datos no fueron aceptados. Revísalos e inténtalo de nuevo.",
    "login.reason.not_logged_in": "Este intento de entrada terminó. Vuelve a entrar.",

    "error.generic": "Algo salió mal. Inténtalo de nuevo.",
    "error.network": "Sin conexión con el servidor. Revisa la red e inténtalo de nuevo.",
    "error.server": "El servidor tuvo un problema. Inténtalo de nuevo en unos instantes.",
    "status.400": "La solicitud no fue aceptada.",
    "status.403": "No tienes permiso para esto.",
    "status.404": "No encontrado. Quizá ya se resolvió.",
    "status.409": "La situación cambió mientras mirabas. La pantalla se actualizó.",
    "status.413": "El texto es demasiado largo.",
    "status.422": "Algunos datos no fueron aceptados. Revísalos e inténtalo de nuevo.",
    "claim.status.409": "No se pudo tomar: otra persona tomó esta atención o ya estás en tu límite de conversaciones.",
    "claim.status.403": "Esta atención requiere una habilidad que no tienes.",
    "claim.status.404": "Esta atención ya no está en la cola.",
    "claim.done": "La atención {protocol} ahora es tuya.",
    "open.status.404": "Esta atención ya no existe.",
    "open.status.403": "No tienes acceso a esta atención.",
    "reply.status.409": "La respuesta no se envió: la atención cambió (resuelta o transferida).",
    "reply.status.403": "Solo quien tiene la atención puede responder.",
    "template.status.409": "La invitación no se pudo enviar ahora.",
    "notes.status.403": "No puedes escribir notas en esta atención.",
    "transfer.status.409": "No se pudo transferir: el agente no tiene capacidad o está desconectado, o la atención cambió.",
    "transfer.status.403": "Tu perfil no permite esta transferencia.",
    "transfer.status.404": "Agente o atención no encontrados.",
    "transfer.status.422": "Elige una cola o un agente válido.",
    "resolve.status.409": "Esta atención ya se resolvió o cambió de manos.",
    "resolve.status.404": "Esta atención ya no existe.",
    "presence.status.422": "El servidor no acepta este estado.",

    "presence.label": "Tu estado",
    "presence.unknown": "— elige —",
    "presence.online": "Disponible",
    "presence.away": "Ausente",
    "presence.offline": "Desconectado",
    "presence.changed": "Tu estado ahora es: {status}.",

    "connection.live": "En vivo",
    "connection.connecting": "Conectando…",
    "connection.reconnecting": "Sin conexión en vivo. Nuevo intento en {seconds} s.",

    "queue.title": "Cola",
    "queue.empty": "Nadie esperando ahora.",
    "queue.failed": "No se pudo actualizar la cola. {why}",
    "desk.title": "Mi mesa",
    "desk.empty": "No tienes atenciones.",
    "desk.failed": "No se pudo actualizar tu mesa. {why}",
    "list.count": "({n})",
    claim: "Tomar",
    "handoff.openProtocol": "Abrir protocolo",
    "handoff.unread": "Mensaje nuevo",
    "handoff.reasons": "Motivos",

    "clock.waiting": "Esperando hace {time}",
    "clock.assigned": "Contigo hace {time}",
    "sla.ok": "SLA: quedan {time}",
    "sla.near": "SLA por vencer: quedan {time}",
    "sla.breached": "SLA vencido hace {time}",
    "sla.none": "SLA: sin plazo",

    "alert.slaBreached": "¡SLA vencido!",
    "alert.protocol": "Protocolo {protocol}",
    "alert.for": "alerta para {audience}",
    "alert.open": "Abrir",
    "alert.dismiss": "Descartar",
    "alert.dismissLabel": "Descartar la alerta del protocolo {protocol}",

    "announce.memberMessage": "Nuevo mensaje del afiliado: {text}",
    "announce.memberMessages": "{n} mensajes nuevos del afiliado.",
    "announce.deskMessage": "Mensaje nuevo en la atención {protocol}.",

    "conversation.pane": "Atención abierta",
    "conversation.placeholder": "Elige una atención de la cola o de tu mesa.",
    "conversation.loading": "Cargando la atención…",
    "conversation.protocol": "Protocolo",
    "conversation.close": "Cerrar",
    "conversation.backToQueue": "Volver a la cola",
    "conversation.withYou": "contigo",
    "conversation.withAgent": "con {name}",
    "conversation.gone": "Esta atención terminó o ya no existe.",
    "conversation.noLongerYours": "Esta atención salió de tu mesa (fue transferida o resuelta).",
    "conversation.resolved": "Esta atención se resolvió y la conversación volvió al asistente.",

    "summary.title": "Contexto del asistente",
    "summary.none": "El asistente no dejó resumen.",
    "summary.identity": "Identidad",
    "summary.verified": "Verificada",
    "summary.unverified": "No verificada — confírmala antes de hablar de datos personales",
    "summary.journey": "Tema",
    "summary.slots": "Datos recogidos",
    "summary.signals": "Señales",
    "summary.lastTurns": "Últimos mensajes con el asistente",

    "transcript.title": "Conversación",
    "transcript.empty": "Todavía no hay mensajes.",
    "transcript.unavailable": "No se pudieron cargar los mensajes del canal ahora. Inténtalo en unos instantes.",
    "author.member": "Afiliado",
    "author.bot": "Asistente",
    "author.agent": "Agente",
    "author.system": "Sistema",
    "attachment.generic": "Adjunto",
    "attachment.described": "Adjunto: {what}",

    "notes.title": "Notas privadas",
    "notes.warning": "Solo las ve el equipo. Nunca se envían al afiliado.",
    "notes.new": "Nueva nota privada",
    "notes.save": "Guardar nota",
    "notes.empty": "Sin notas.",
    "notes.emptyText": "Escribe la nota antes de guardar.",
    "notes.saved": "Nota guardada.",

    "canned.label": "Respuesta predefinida",
    "canned.loading": "Cargando…",
    "canned.choose": "— elegir —",
    "canned.none": "Sin respuestas predefinidas",
    "canned.unavailable": "Respuestas predefinidas no disponibles.",
    "canned.fill": "Completa los campos de la respuesta",
    "reply.label": "Respuesta al afiliado",
    "reply.hint": "Ctrl+Enter envía. La respuesta va por el canal del afiliado.",
    "reply.send": "Enviar",
    "reply.empty": "Escribe la respuesta antes de enviar.",
    "reply.fillVariables": "Completa antes de enviar: {names}.",
    "reply.sent": "Respuesta enviada.",
    "reply.locked": "Toma esta atención para responder al afiliado.",
    "reply.lockedOther": "Esta atención la tiene otra persona; solo ella responde al afiliado.",
    "window.closed": "Pasaron más de 24 horas desde el último mensaje del afiliado, y WhatsApp solo permite enviar una plantilla aprobada. Envía la invitación para retomar la conversación; cuando el afiliado responda, podrás escribir libremente. Tu texto sigue en el cuadro.",
    "window.optedOut": "El afiliado pidió no recibir mensajes por este canal. No se puede enviar nada por aquí; registra una nota y sigue el procedimiento de la aseguradora.",
    "window.sendTemplate": "Enviar invitación para retomar la conversación",
    "window.templateSent": "Invitación enviada. Cuando el afiliado responda, la ventana de 24 horas se reabre y podrás enviar tu respuesta.",

    "transfer.button": "Transferir",
    "transfer.title": "Transferir la atención",
    "transfer.to": "A",
    "transfer.toSkill": "Una cola (habilidad)",
    "transfer.skill": "Habilidad",
    "transfer.toAgent": "Una persona (supervisores)",
    "transfer.agentId": "Número (id) del agente",
    "transfer.agentMissing": "Indica el número del agente.",
    "transfer.confirm": "Transferir",
    "transfer.done": "Atención transferida.",

    "resolve.button": "Resolver",
    "resolve.title": "¿Resolver la atención?",
    "resolve.protocol": "Protocolo",
    "resolve.explain": "La conversación vuelve al asistente, que pide al afiliado una nota para la atención. Ya no podrás responder por aquí.",
    "resolve.confirm": "Sí, resolver",
    "resolve.done": "Atención resuelta. La conversación volvió al asistente.",

    "timeline.title": "Historial de la atención",
    "event.handoff.opened": "Abierta por el asistente",
    "event.handoff.requested_again": "Pedida de nuevo por el asistente",
    "event.handoff.assigned": "Asignada automáticamente",
    "event.handoff.claimed": "Tomada de la cola",
    "event.handoff.transferred": "Transferida",
    "event.handoff.agent_replied": "Primera respuesta de un agente",
    "event.handoff.resolved": "Resuelta",
    "event.handoff.sla_breached": "SLA vencido",
    "event.handoff.escalated": "Escalada",

    "priority.red": "Rojo",
    "priority.yellow": "Amarillo",
    "priority.green": "Verde",
    "urgency.red": "roja",
    "urgency.yellow": "amarilla",
    "urgency.none": "ninguna",
    "status.waiting": "En cola",
    "status.assigned": "En atención",
    "status.resolved": "Resuelta",
    "skill.front_line": "Atención general",
    "skill.technical": "Técnico",
    "skill.clinical": "Clínico",
    "skill.collections": "Cobranza",
    "skill.supervisor": "Supervisión",
    "reason.member_asked": "Pidió una persona",
    "reason.red_urgency": "Urgencia clínica",
    "reason.frustration": "Frustración",
    "reason.fallbacks": "El asistente no entendió",
    "reason.repeated_question": "Pregunta repetida",
    "reason.complaint_threat": "Amenaza de reclamo",
    "reason.backend_failure": "Falla de sistema",
    "reason.identity_failed": "Falló la identificación",
    "channel.whatsapp": "WhatsApp",
    "channel.rest": "API",
    "channel.web": "Web",
    "language.pt": "Portugués",
    "language.es": "Español",
    "delivery.sending": "enviando…",
    "delivery.queued": "en cola de envío",
    "delivery.sent": "enviado",
    "delivery.delivered": "entregado",
    "delivery.read": "leído",
    "delivery.failed": "falló",
    "delivery.undelivered": "no entregado",
    "signal.urgency": "Urgencia",
    "signal.frustration": "Frustración",
    "variable.name": "Nombre",
    "variable.nombre": "Nombre",
    "variable.protocol": "Protocolo",
    "variable.agent": "Tu nombre",
    "variable.agent_name": "Tu nombre",
    "variable.date": "Fecha",
    "variable.due_date": "Vencimiento",
    "variable.amount": "Monto",
    "role.agent": "Agente",
    "role.supervisor": "Supervisor(a)",
    "role.admin": "Administrador(a)",
    "audience.team": "el equipo",
    "audience.supervisors": "supervisores",
    "audience.managers": "gerentes",
  },
};

let current = initialLanguage();

function initialLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be off (private mode, policy): the browser's language decides.
  }
  if (stored && stored in DICTIONARY) return stored;
  const browser = (navigator.language || "pt").toLowerCase();
  return browser.startsWith("es") ? "es" : "pt";
}

/** "pt" or "es". */
export function language() {
  return current;
}

/** The BCP 47 locale for Intl formatting ("pt-BR", "es"). */
export function locale() {
  return LOCALES[current];
}

export function setLanguage(code) {
  if (!(code in DICTIONARY)) return;
  current = code;
  document.documentElement.lang = LOCALES[code];
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Not remembered across visits; fine.
  }
}

export function has(key) {
  return key in DICTIONARY[current] || key in DICTIONARY.pt;
}

/** The sentence for `key`, with "{name}" placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = DICTIONARY[current][key] ?? DICTIONARY.pt[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A server value in words ("priority", "red" → "Vermelho"); the value itself when unknown. */
export function label(group, value) {
  if (value === null || value === undefined || value === "") return "";
  const key = `${group}.${value}`;
  return has(key) ? t(key) : String(value);
}

/** Translate every [data-i18n] and [data-i18n-attr] under `root` (a node or the document). */
export function applyTranslations(root = document) {
  if (root === document) document.documentElement.lang = LOCALES[current];
  const nodes = [];
  if (root.nodeType === Node.ELEMENT_NODE && (root.hasAttribute("data-i18n") || root.hasAttribute("data-i18n-attr"))) {
    nodes.push(root);
  }
  nodes.push(...root.querySelectorAll("[data-i18n], [data-i18n-attr]"));
  for (const node of nodes) {
    const key = node.getAttribute("data-i18n");
    if (key) node.textContent = t(key);
    const attrs = node.getAttribute("data-i18n-attr");
    if (attrs) {
      for (const pair of attrs.split(",")) {
        const [name, attrKey] = pair.split(":").map((part) => part.trim());
        if (name && attrKey) node.setAttribute(name, t(attrKey));
      }
    }
  }
}
