"""The spaCy pipeline Rasa loads (SpacyNLP): built at set-up time from installed packages only.

A blank Portuguese pipeline with a tokenizer that keeps document numbers whole, a lookup lemmatizer
that knows Portuguese and Spanish words (spacy-lookups-data), and an entity ruler whose patterns
live in entity_patterns.yml. `python -m bot.spacy_pipeline OUTPUT_DIR` builds it.
"""
