"""Urgency as members actually write it: red saves lives, a false red wastes a clinician's time."""

import time

import pytest

from bot.signals import assess_urgency

RED_PT = [
    ("meu pai está com dor no peito", "chest_pain"),
    ("minha bb de 3 meses com 39,7 graus", "child_high_fever"),
    ("do nada a pior dor de cabeca da minha vida", "stroke_signs"),
    ("DOR NO PEITO FORTE", "chest_pain"),
    ("dor peito desde cedo", "chest_pain"),
    ("minha mae com dor no peitoo e suando frio", "chest_pain"),
    ("acho que meu marido ta infartando", "chest_pain"),
    ("meu pai infartou, estamos indo pro hospital", "chest_pain"),
    ("minha mãe desmaiou agora no banheiro", "fainting"),
    ("minha avo caiu e ta desacordada", "fainting"),
    ("ele desmaiuo e nao acorda", "fainting"),
    ("ela ta sangrando muito, não para", "heavy_bleeding"),
    ("to gravida de 5 meses e to sangrando", "heavy_bleeding"),
    ("hemorragia depois da cirurgia", "heavy_bleeding"),
    ("meu filho está com febre de 40", "child_high_fever"),
    ("minha filha com febre muito alta", "child_high_fever"),
    ("meu bebe ta com 39,8 de febre", "child_high_fever"),
    ("meu filho de 2 anos com 39 e meio de febre", "child_high_fever"),
    ("nenem ta com 40 graus", "child_high_fever"),
    ("minha filha ta queimando, termometro 39.7", "child_high_fever"),
    ("meu filho nao consegue respirar", "breathing_difficulty"),
    ("minha vó está com falta de ar", "breathing_difficulty"),
    ("meu bebe engasgou e ta ficando roxo", "breathing_difficulty"),
    ("crise de asma forte, a bombinha nao resolve", "breathing_difficulty"),
    ("MINHA FILHA TA CONVULSIONANDO", "seizure"),
    ("ele ta tendo uma crise epiletica", "seizure"),
    ("meu pai ficou com a boca torta e a fala enrolada", "stroke_signs"),
    ("acho q minha mae ta tendo um avc", "stroke_signs"),
    ("foi picado por abelha e a garganta ta fechando", "severe_allergic_reaction"),
    ("choque anafilatico", "severe_allergic_reaction"),
    ("o rosto dela ta inchando muito depois do remedio", "severe_allergic_reaction"),
    ("meu filho tomou um monte de remedio da minha mae", "overdose_poisoning"),
    ("minha filha bebeu agua sanitaria", "overdose_poisoning"),
    ("acho que ele teve uma overdose", "overdose_poisoning"),
    ("quero morrer", "suicide_risk"),
    ("vou me matar", "suicide_risk"),
    ("nao aguento mais viver", "suicide_risk"),
    ("as vezes penso que seria melhor se eu nao existisse", "suicide_risk"),
    ("pensando em acabar com tudo, nao aguento mais", "suicide_risk"),
    ("queria dormir e nao acordar nunca mais", "suicide_risk"),
    ("meu filho tentou se matar", "suicide_risk"),
    ("essa divida ta me destruindo, quero morrer", "suicide_risk"),
    ("to me cortando de novo", "self_harm"),
    ("minha filha ta se cortando", "self_harm"),
    ("estou no pronto socorro esperando autorização", "in_emergency_room"),
    ("to no ps com meu filho", "in_emergency_room"),
    ("tô na UPA há 3 horas e o plano não libera", "in_emergency_room"),
    ("estamos na emergencia do hospital esperando a guia", "in_emergency_room"),
    ("to aqui no pronto-socorro e nao autorizam a internacao", "in_emergency_room"),
    ("minha mae ta internada no hospital aguardando a liberacao", "in_emergency_room"),
    ("a upa pediu autorizacao e ninguem responde", "in_emergency_room"),
    ("chamei o samu", "ambulance_needed"),
    ("minha mae ta morrendo e o plano nao libera", "dying"),
    ("é uma emergência, me ajudem", "declared_emergency"),
    ("EMERGENCIA!!! preciso de ajuda agora", "declared_emergency"),
    ("meu bebe de 2 meses ta com febre", "infant_fever"),
    ("recém-nascido com febre 38", "infant_fever"),
    ("sofri um acidente de moto", "serious_injury"),
    ("meu filho bateu a cabeça e ta vomitando", "serious_injury"),
    ("preciso de uma ambulancia", "ambulance_needed"),
    ("o hospital recusou atendimento e minha esposa ta com contrações", "in_emergency_room"),
    ("o hospital ta esperando a autorizacao de vcs agora", "in_emergency_room"),
    ("ele engoliu produto de limpeza", "overdose_poisoning"),
    ("to pensando em me machucar", "self_harm"),
    ("ela ta roxinha e nao respira direito", "breathing_difficulty"),
]

RED_ES = [
    ("mi bb tiene 40 grados y no despierta bien", "child_high_fever"),
    ("tengo el peor dolor de cabeza de mi vida, de golpe", "stroke_signs"),
    ("mi papá tiene dolor en el pecho", "chest_pain"),
    ("me duele el pecho y el brazo izquierdo", "chest_pain"),
    ("creo que le está dando un infarto", "chest_pain"),
    ("mi mamá se desmayó y no despierta", "fainting"),
    ("perdió el conocimiento", "fainting"),
    ("está sangrando mucho", "heavy_bleeding"),
    ("estoy embarazada y estoy sangrando", "heavy_bleeding"),
    ("mi hijo tiene fiebre de 40", "child_high_fever"),
    ("mi guagua tiene fiebre muy alta", "child_high_fever"),
    ("tengo a mi bebé con 39,5 de fiebre", "child_high_fever"),
    ("mi hija no puede respirar", "breathing_difficulty"),
    ("me falta el aire", "breathing_difficulty"),
    ("se está ahogando", "breathing_difficulty"),
    ("mi hijo está convulsionando", "seizure"),
    ("tiene la boca torcida y no puede hablar", "stroke_signs"),
    ("creo que a mi padre le está dando un ictus", "stroke_signs"),
    ("se le hinchó la cara y la garganta", "severe_allergic_reaction"),
    ("shock anafiláctico", "severe_allergic_reaction"),
    ("mi hijo se tomó todas las pastillas", "overdose_poisoning"),
    ("tragó lejía", "overdose_poisoning"),
    ("me quiero morir", "suicide_risk"),
    ("ya no quiero vivir", "suicide_risk"),
    ("estoy pensando en quitarme la vida", "suicide_risk"),
    ("quiero desaparecer, soy una carga para todos", "suicide_risk"),
    ("se cortó las venas", "self_harm"),
    ("estamos en urgencias esperando la autorización", "in_emergency_room"),
    ("estoy en la guardia con mi hija y no me dan la autorización", "in_emergency_room"),
    ("estamos en el SAPU esperando", "in_emergency_room"),
    ("llamé a la ambulancia", "ambulance_needed"),
    ("estoy en el hospital y me piden garantía, esperando la autorización", "in_emergency_room"),
    ("se está muriendo", "dying"),
    ("es una emergencia", "declared_emergency"),
    ("mi bebé de un mes tiene fiebre", "infant_fever"),
    ("tuvimos un accidente de auto", "serious_injury"),
    ("se golpeó la cabeza y está vomitando y somnoliento", "serious_injury"),
    ("necesito una ambulancia ya", "ambulance_needed"),
    ("mi señora con contracciones y la clínica no la recibe", "in_emergency_room"),
    ("mi papá vomita sangre", "heavy_bleeding"),
    ("se le durmió medio cuerpo y habla raro", "stroke_signs"),
]

YELLOW = [
    ("pt", "tô com febre", "fever"),
    ("pt", "estou com 38,5 de febre e dor no corpo", "fever"),
    ("pt", "meu filho ta com febre", "child_fever"),
    ("pt", "minha filha com febre alta desde ontem", "child_fever"),
    ("pt", "to com muita dor nas costas", "strong_pain"),
    ("pt", "dor de dente insuportavel", "strong_pain"),
    ("pt", "crise renal, to morrendo de dor", "strong_pain"),
    ("pt", "ele cortou o dedo e ta sangrando", "bleeding"),
    ("pt", "acho que to em trabalho de parto", "labour"),
    ("pt", "a cirurgia nao pode esperar", "procedure_cannot_wait"),
    ("pt", "preciso fazer a quimio e ta atrasada", "procedure_cannot_wait"),
    ("pt", "a cirurgia é amanhã e não foi autorizada", "deadline_soon"),
    ("pt", "a cirurgia do meu pai ta marcada pra amanha e nada", "deadline_soon"),
    ("pt", "meu boleto vence hoje", "deadline_soon"),
    ("pt", "preciso da autorizacao hoje", "deadline_soon"),
    ("pt", "é urgente!!", "declared_urgent"),
    ("pt", "URGENTE", "declared_urgent"),
    ("pt", "socorro", "declared_urgent"),
    ("es", "tengo fiebre", "fever"),
    ("es", "mi hijo tiene fiebre", "child_fever"),
    ("es", "me duele mucho la cabeza", "strong_pain"),
    ("es", "dolor muy fuerte en la espalda", "strong_pain"),
    ("es", "rompí fuente", "labour"),
    ("es", "la cirugía es mañana y no me la aprueban", "deadline_soon"),
    ("es", "necesito la autorización para hoy", "deadline_soon"),
    ("es", "la quimio no puede esperar", "procedure_cannot_wait"),
    ("es", "es urgente", "declared_urgent"),
    ("pt", "ele caiu da escada e bateu a cabeça", "head_injury"),
    ("pt", "minha pressão ta 22 por 14", "blood_pressure_crisis"),
    ("es", "crisis hipertensiva", "blood_pressure_crisis"),
]

NOT_URGENT = [
    ("pt", "oi bom dia"),
    ("pt", "quero a segunda via do boleto"),
    ("pt", "como peço reembolso?"),
    ("pt", "meu plano cobre fisioterapia?"),
    ("pt", "teve febre semana passada, ja ta bem"),
    ("pt", "meu filho teve febre de 40 mes passado, quero o reembolso"),
    ("pt", "quero o reembolso do pronto socorro"),
    ("pt", "reembolso do ps de sabado"),
    ("pt", "manda o boleto da emergencia"),
    ("pt", "o reembolso da consulta no pronto-socorro ainda nao caiu"),
    ("pt", "paguei a conta do hospital e quero reembolso"),
    ("pt", "preciso da segunda via do boleto da coparticipacao da emergencia"),
    ("pt", "quero o reembolso da consulta de dor no peito"),
    ("pt", "reembolso do atendimento de quando meu filho teve febre de 40"),
    ("pt", "a cobrança da coparticipação do exame de convulsão veio errada"),
    ("pt", "to morrendo de rir kkkk"),
    ("pt", "morrendo de fome aqui"),
    ("pt", "morri de vergonha"),
    ("pt", "essa fatura vai me matar"),
    ("pt", "esse plano vai me matar de desgosto"),
    ("pt", "vou morrer de raiva com essa cobranca"),
    ("pt", "nao e emergencia, so quero saber do boleto"),
    ("pt", "não é urgente, quando puder me responde"),
    ("pt", "sem pressa, so uma duvida sobre a carencia"),
    ("pt", "ele nao teve febre"),
    ("pt", "ela nao desmaiou, so ficou tonta"),
    ("pt", "ela desmaiou ano passado e agora quero saber da cobertura"),
    ("pt", "meu pai teve um infarto ano passado, o plano cobre cateterismo?"),
    ("pt", "o plano cobre infarto?"),
    ("pt", "em caso de febre alta posso ir em qualquer upa?"),
    ("pt", "qual pronto socorro atende meu plano?"),
    ("pt", "estou em sao paulo, qual upa atende?"),
    ("pt", "estou no hospital visitando minha tia"),
    ("pt", "minha consulta e semana que vem"),
    ("pt", "nao consigo pagar o boleto"),
    ("pt", "a febre do meu filho ja passou, obrigada"),
    ("pt", "ele ja ta bem, teve alta ontem"),
    ("pt", "ps: esqueci de mandar o cpf"),
    ("pt", "tenho 40 anos e quero mudar de plano"),
    ("pt", "paguei R$ 40 na consulta"),
    ("pt", "quase tive um infarto quando vi o valor da fatura"),
    ("pt", "cancelei a consulta de amanha"),
    ("pt", "emergencia tem carencia?"),
    ("pt", "qual o telefone da emergencia"),
    ("pt", "fiquei 6 horas no pronto atendimento esperando semana passada, ridiculo"),
    ("es", "hola, buenas tardes"),
    ("es", "me muero de risa"),
    ("es", "me muero de hambre"),
    ("es", "me muero de vergüenza"),
    ("es", "esta factura me va a matar"),
    ("es", "tuve fiebre la semana pasada pero ya estoy bien"),
    ("es", "quiero el reembolso de la urgencia del mes pasado"),
    ("es", "necesito la factura de la atención de urgencias"),
    ("es", "quiero el reembolso de la consulta por dolor en el pecho"),
    ("es", "la factura de cuando mi hijo tuvo fiebre de 40"),
    ("es", "no es urgente"),
    ("es", "no es una emergencia, es sobre mi boleta"),
    ("es", "¿mi plan cubre urgencias?"),
    ("es", "en caso de infarto, ¿qué clínica me atiende?"),
    ("es", "mi hijo ya está bien, le dieron el alta"),
    ("es", "¿cuál es el hospital más cercano?"),
    ("es", "casi me da un infarto cuando vi la factura"),
    ("es", "déjame pagar en 8 cuotas, no me alcanza"),
]

IDIOMS_AND_NEGATIONS = [
    ("pt", "morrendo de rir com esse atendimento"),
    ("pt", "quase morri de susto com o valor"),
    ("pt", "to morto de cansaco"),
    ("pt", "nao tem falta de ar nem dor no peito"),
    ("pt", "sem febre desde ontem"),
    ("pt", "nada urgente, é só uma dúvida"),
    ("es", "me mata de risa"),
    ("es", "no tiene fiebre"),
    ("es", "sin fiebre ni dolor"),
    ("es", "nada urgente, gracias"),
]


@pytest.mark.parametrize(("text", "reason"), RED_PT)
def test_portuguese_emergencies_are_red(text: str, reason: str) -> None:
    urgency = assess_urgency(text, "pt")
    assert urgency["level"] == "red"
    assert reason in urgency["reasons"]


@pytest.mark.parametrize(("text", "reason"), RED_ES)
def test_spanish_emergencies_are_red(text: str, reason: str) -> None:
    urgency = assess_urgency(text, "es")
    assert urgency["level"] == "red"
    assert reason in urgency["reasons"]


@pytest.mark.parametrize(("language", "text", "reason"), YELLOW)
def test_urgent_but_not_life_threatening_is_yellow(language: str, text: str, reason: str) -> None:
    assert assess_urgency(text, language) == {"level": "yellow", "reasons": [reason]}


@pytest.mark.parametrize(("language", "text"), NOT_URGENT + IDIOMS_AND_NEGATIONS)
def test_past_billing_idioms_negations_and_questions_are_not_urgent(
    language: str, text: str
) -> None:
    assert assess_urgency(text, language) == {"level": "none", "reasons": []}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("minha filha desmaiou", "fainting"),
        ("mi hija se desmayó", "fainting"),
        ("socorro meu filho ta com febre de 40", "child_high_fever"),
        ("quiero morir", "suicide_risk"),
    ],
)
def test_unknown_language_reads_every_vocabulary(text: str, reason: str) -> None:
    assert reason in assess_urgency(text, None)["reasons"]


@pytest.mark.parametrize("language", ["en", "fr", None])
def test_a_language_without_a_vocabulary_is_read_with_all(language: str | None) -> None:
    assert assess_urgency("meu pai ta com dor no peito", language)["level"] == "red"


def test_a_negation_between_the_words_of_a_cue_denies_it() -> None:
    # "é ... emergência" spans "é urgente, não é emergência" only by skipping the "não".
    assert assess_urgency("é urgente não é emergência", "pt") == {
        "level": "yellow",
        "reasons": ["declared_urgent"],
    }


def test_now_after_a_past_event_keeps_the_new_one() -> None:
    urgency = assess_urgency("teve febre semana passada e agora desmaiou", "pt")
    assert urgency == {"level": "red", "reasons": ["fainting"]}


def test_resolved_for_one_person_then_a_new_emergency_is_red() -> None:
    urgency = assess_urgency("meu marido ja ta bem, mas agora minha filha desmaiou", "pt")
    assert urgency["level"] == "red"


def test_an_emergency_with_a_coverage_question_after_it_stays_red() -> None:
    # Coverage words clear a cue only when they come first ("o plano cobre infarto?").
    assert assess_urgency("meu pai ta infartando o plano cobre", "pt")["level"] == "red"


def test_suicide_risk_is_not_cleared_by_money_or_the_past() -> None:
    assert assess_urgency("por causa da divida do plano quero morrer", "pt")["level"] == "red"
    assert "suicide_risk" in assess_urgency("ja pensei em me matar ano passado", "pt")["reasons"]


def test_reasons_are_most_severe_first_and_specific_ones_replace_general_ones() -> None:
    urgency = assess_urgency("urgente, meu filho com febre de 40 e dor forte no peito", "pt")
    assert urgency["level"] == "red"
    assert urgency["reasons"] == ["chest_pain", "child_high_fever", "declared_urgent"]


def test_red_outranks_yellow() -> None:
    assert assess_urgency("to com febre e minha mae desmaiou", "pt") == {
        "level": "red",
        "reasons": ["fainting", "fever"],
    }


@pytest.mark.parametrize(
    "text",
    ["", "   ", "👍", "🙏🙏🙏", "😭😭😭😭", "?!", "....", "123", "\n\n", "\x00", "🏥🚑"],
)
def test_empty_and_emoji_only_messages_are_not_urgent(text: str) -> None:
    assert assess_urgency(text, "pt") == {"level": "none", "reasons": []}
    assert assess_urgency(text, None) == {"level": "none", "reasons": []}


def test_emoji_do_not_hide_words() -> None:
    assert assess_urgency("😭😭 minha mae desmaiou 🙏", "pt")["level"] == "red"


def test_huge_messages_are_read_quickly_and_without_error() -> None:
    started = time.monotonic()
    for text in [
        "preciso de ajuda com meu reembolso do pronto socorro " * 5000,
        "dor " * 50000,
        "a" * 1_000_000,
        "😡" * 100_000,
        "estou no ps esperando " * 10000,
    ]:
        assert assess_urgency(text, None)["level"] in {"none", "yellow", "red"}
    assert time.monotonic() - started < 5


def test_a_huge_message_still_says_what_is_at_its_start() -> None:
    text = "minha mae desmaiou. " + "bla " * 100_000
    assert assess_urgency(text, "pt")["level"] == "red"


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        # Folded "más" is not the clause word "mas": the sentence stays whole.
        ("la verdad ya no puedo más con mi vida", "es", "suicide_risk"),
        ("queria dormir e nunca mais acordar", "pt", "suicide_risk"),
        ("ya nada tiene sentido, quiero no despertar mas", "es", "suicide_risk"),
        ("me cortei de novo ontem a noite", "pt", "self_harm"),
        ("volvi a cortarme, no se que hacer", "es", "self_harm"),
        ("mi hijo de 3 años tiene 40 y esta muy decaido", "es", "child_high_fever"),
        ("minha filha tem 39,9 e ta mole", "pt", "child_high_fever"),
    ],
)
def test_passive_ideation_self_harm_and_bare_temperatures_are_red(
    text: str, language: str, reason: str
) -> None:
    urgency = assess_urgency(text, language)
    assert urgency["level"] == "red"
    assert reason in urgency["reasons"]


def test_spanish_mas_is_more_not_but() -> None:
    assert assess_urgency("no puedo mas con este plan, que lentos", "es")["level"] != "red"
