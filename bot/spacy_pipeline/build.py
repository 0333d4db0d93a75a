"""Build the spaCy pipeline into a folder that Rasa's SpacyNLP loads by path."""

import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.lookups import Lookups, load_lookups
from spacy.pipeline import EntityRuler, Lemmatizer
from spacy.tokenizer import Tokenizer

from bot.spacy_pipeline.patterns import entity_patterns, load_vocabulary

# Document numbers stay one token: 529.982.247-25, 1.234,56, 10/12/2025, 34567820241105000123.
DOCUMENT_NUMBER = re.compile(r"^\d+([.,/-]\d+)+$")


def bilingual_lemmas() -> Lookups:
    """One lookup table for both languages; Portuguese wins where a word is in both."""
    table = dict(load_lookups("es", ["lemma_lookup"]).get_table("lemma_lookup"))
    table.update(load_lookups("pt", ["lemma_lookup"]).get_table("lemma_lookup"))
    lookups = Lookups()
    lookups.add_table("lemma_lookup", table)
    return lookups


def build_pipeline() -> Language:
    nlp = spacy.blank("pt")
    assert isinstance(nlp.tokenizer, Tokenizer)
    nlp.tokenizer.token_match = DOCUMENT_NUMBER.match
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    assert isinstance(lemmatizer, Lemmatizer) and isinstance(ruler, EntityRuler)
    nlp.initialize()
    lemmatizer.initialize(lookups=bilingual_lemmas())
    ruler.add_patterns(entity_patterns(load_vocabulary()))
    return nlp


def main(output: Path) -> None:
    build_pipeline().to_disk(output)
    print(f"spaCy pipeline written to {output}")
